# The gateway image: built in one stage, run from another that holds only dist/ and the
# production dependencies. `docker compose up --build` builds it (compose.yaml).

# Build stage: every dependency (TypeScript among them), then the compiled dist/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies only (no TypeScript, no tsx, no test tools), run as
# the image's unprivileged `node` user.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
# node itself is PID 1, not npm or a shell: SIGTERM from `docker stop` reaches the gateway,
# which finishes the requests in flight and exits. The flags are those of `npm run serve`.
CMD ["node", "--no-warnings", "--max-semi-space-size=6", "--heap-growing-percent=40", "dist/server.js"]
