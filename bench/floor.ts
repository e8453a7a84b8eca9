/**
 * The benchmark's floor: what any server on node:http and undici pays for `quentliCustomers(first: 20)`
 * before GraphQL does anything. It reads the POST body, makes the same Quentli call over a
 * keep-alive pool, parses the answer once and writes the same JSON a GraphQL server would, with
 * no parsing, validation or execution of the query. No gateway can cost less than this.
 *
 *   node --import tsx bench/floor.ts   (PORT, QUENTLI_BASE_URL and QUENTLI_API_KEY from the environment)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'undici';

interface QuentliRecord {
  id: string;
  name: string | null;
  email: string | null;
  phoneNumber: string | null;
  createdAt: string;
}

const PAGE_SIZE = 20;
const port = Number(process.env.PORT);
const baseUrl = process.env.QUENTLI_BASE_URL;
const apiKey = process.env.QUENTLI_API_KEY;
if (!Number.isInteger(port) || baseUrl === undefined || apiKey === undefined) {
  throw new Error('The floor server needs PORT, QUENTLI_BASE_URL and QUENTLI_API_KEY');
}
const pool = new Pool(baseUrl, { connections: 64 });
const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
const toBase64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

async function answerPage(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const upstream = await pool.request({ method: 'GET', path: `/v1/customers?limit=${PAGE_SIZE + 1}`, headers });
  const records = (await upstream.body.json()) as QuentliRecord[];
  const edges = records.slice(0, PAGE_SIZE).map((record) => ({
    cursor: toBase64(`${record.createdAt}|${record.id}`),
    node: {
      id: toBase64(`QuentliCustomer:${record.id}`),
      name: record.name,
      email: record.email,
      phoneNumber: record.phoneNumber,
      createdAt: record.createdAt,
    },
  }));
  const pageInfo = { hasNextPage: records.length > PAGE_SIZE, endCursor: edges.at(-1)?.cursor ?? null };
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ data: { quentliCustomers: { edges, pageInfo } } }));
}

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/health') {
    response.writeHead(200).end();
    return;
  }
  answerPage(request, response).catch(() => {
    if (!response.headersSent) response.writeHead(502);
    response.end();
  });
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`Floor ready at http://127.0.0.1:${port}\n`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => void pool.close().then(() => process.exit(0)));
    server.closeIdleConnections();
  });
}
