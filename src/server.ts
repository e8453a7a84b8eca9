import { startGateway } from './app.ts';
import { ConfigError, loadConfig, type GatewayConfig } from './config.ts';
import { createLogger } from './observability/logger.ts';
import { listenFailure } from './startup-failure.ts';

const logger = createLogger();
// Node's own warnings go through the JSON log like everything else (`npm run serve` passes
// --no-warnings, which stops Node printing them to stderr as plain text).
process.on('warning', (warning) =>
  logger.warn({ warning: { name: warning.name, message: warning.message } }, 'node warning'),
);

let config: GatewayConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

if (config.sandbox) {
  logger.info(
    'Sandbox mode: no QUENTLI_API_KEY or NXLINK_ACCESS_KEY set, so the gateway starts the embedded sandbox upstreams and serves their seeded customers.',
  );
}
const running = await startGateway(config, logger).catch((error: unknown) => {
  const line = listenFailure(error, 'The gateway', 'PORT');
  if (line === undefined) throw error;
  logger.fatal(line);
  process.exit(1);
});
// `npm start` execs node (package.json), so a signal sent to the npm process reaches this one.
// Repeats are ignored: Ctrl-C in a terminal signals node and npm alike, and npm passes its own on.
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    // Load balancers see readiness 503 while connections drain; at most one keep-alive timeout.
    const drainMs = config.clientTimeouts.keepAliveMs;
    logger.info(`${signal}: readiness now answers 503; finishing requests in flight, then stopping`);
    running.close({ drainMs }).then(
      () => {
        logger.info({ durationMs: Date.now() - started }, 'Gateway stopped');
        // Everything is closed: the process ends once the log lines are out (pino writes them
        // asynchronously, and process.exit() could reorder the last ones). Anything left holding
        // the event loop gets a moment, not more.
        setTimeout(() => process.exit(0), 1_000).unref();
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

// Said once the signals are handled: whoever reads this line may signal at once.
logger.info(
  {
    quentli: running.sandbox?.quentli.url ?? config.quentli.baseUrl,
    nxlink: running.sandbox?.nxlink.url ?? config.nxlink.baseUrl,
  },
  config.graphiql ? `Gateway ready: GraphiQL at ${running.url}/graphql` : `Gateway ready at ${running.url}/graphql`,
);
