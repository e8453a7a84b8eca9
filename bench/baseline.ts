/**
 * The benchmark's baseline: what a team writes by hand without Pothos or DataLoader. A plain
 * graphql-yoga server with an SDL schema whose `quentliCustomers(first:)` makes the same
 * Quentli call as the gateway and maps the records into a Relay connection.
 *
 *   node --import tsx bench/baseline.ts --port 4100 --quentli-base-url http://127.0.0.1:4010 --quentli-api-key sk_...
 *
 * Each option falls back to PORT, QUENTLI_BASE_URL and QUENTLI_API_KEY.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createSchema, createYoga } from 'graphql-yoga';
import { request } from 'undici';

const typeDefs = /* GraphQL */ `
  type Query {
    quentliCustomers(first: Int): QuentliCustomerConnection!
  }
  type QuentliCustomerConnection {
    edges: [QuentliCustomerEdge!]!
    pageInfo: PageInfo!
  }
  type QuentliCustomerEdge {
    cursor: String!
    node: QuentliCustomer!
  }
  type QuentliCustomer {
    id: ID!
    name: String
    username: String
    email: String
    phoneNumber: String
    createdAt: String
    updatedAt: String
  }
  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
`;

interface QuentliRecord {
  id: string;
  name: string | null;
  username: string | null;
  email: string | null;
  phoneNumber: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Options {
  port: number;
  quentliBaseUrl: string;
  quentliApiKey: string;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'quentli-base-url': { type: 'string' },
      'quentli-api-key': { type: 'string' },
    },
  });
  const port = Number(values.port ?? process.env.PORT ?? 4100);
  const quentliBaseUrl = values['quentli-base-url'] ?? process.env.QUENTLI_BASE_URL;
  const quentliApiKey = values['quentli-api-key'] ?? process.env.QUENTLI_API_KEY;
  if (!Number.isInteger(port) || quentliBaseUrl === undefined || quentliApiKey === undefined) {
    throw new Error(
      'The baseline needs --port, --quentli-base-url and --quentli-api-key (or PORT, QUENTLI_BASE_URL, QUENTLI_API_KEY)',
    );
  }
  return { port, quentliBaseUrl, quentliApiKey };
}

const toBase64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function createBaseline(options: Options) {
  const quentliCustomers = async (_root: unknown, args: { first?: number | null }) => {
    // Quentli's limit is 1..100 and one more record than the page tells whether a next page exists.
    const first = Math.min(Math.max(args.first ?? 20, 0), 99);
    const { statusCode, body } = await request(`${options.quentliBaseUrl}/v1/customers?limit=${first + 1}`, {
      headers: { authorization: `Bearer ${options.quentliApiKey}`, accept: 'application/json' },
    });
    if (statusCode !== 200) {
      await body.dump();
      throw new Error(`Quentli answered ${statusCode}`);
    }
    const records = (await body.json()) as QuentliRecord[];
    const edges = records.slice(0, first).map((record) => ({
      cursor: toBase64(`${record.createdAt}|${record.id}`),
      node: { ...record, id: toBase64(`QuentliCustomer:${record.id}`) },
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: records.length > first,
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  };
  return createYoga({ schema: createSchema({ typeDefs, resolvers: { Query: { quentliCustomers } } }) });
}

const options = readOptions();
const server = createServer(createBaseline(options));
server.listen(options.port, '127.0.0.1', () => {
  process.stdout.write(`Baseline ready at http://127.0.0.1:${options.port}/graphql\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
