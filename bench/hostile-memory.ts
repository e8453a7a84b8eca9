/**
 * `npm run bench:memory`: the gateway's memory under hostile variety (security issue): RSS after
 * 5,000 distinct valid queries and after 50 parallel loads of the GraphiQL page, against a limit
 * of 250 MB. The gateway runs as deployed (dist/, the flags of `npm run serve`) with a key and
 * GraphiQL on, over the standalone sandbox.
 */
import { request } from 'undici';
import { BENCH_GATEWAY_KEY, DEV_CREDENTIALS, freePort, memory, startService, stopService } from './processes.ts';
import { startFlags } from './stack.ts';

const DISTINCT_QUERIES = 5_000;
const PARALLEL_PAGES = 50;
const CONCURRENCY = 8;
const LIMIT_MB = 250;

/** Selections a client might ask for: every document of the run is a different combination. */
const FIELDS = [
  'id',
  'name',
  'email',
  'phoneNumber',
  'createdAt',
  'updatedAt',
  'username',
  'archivedAt',
  'emailVerified',
  'skipTaxInvoice',
  'metadata { key value }',
  'nxlinkProfile { id fullName }',
];

function distinctQuery(i: number): string {
  const fields = FIELDS.filter((_, bit) => (i >> bit) & 1 || bit === 0);
  return `query Q${i} { quentliCustomers(first: ${1 + (i % 3)}) { edges { node { ${fields.join(' ')} } } } }`;
}

async function main(): Promise<void> {
  const [quentliPort, nxlinkPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
  const quentliUrl = `http://127.0.0.1:${quentliPort}`;
  const nxlinkUrl = `http://127.0.0.1:${nxlinkPort}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const sandbox = await startService({
    name: 'sandbox',
    script: 'src/sandbox/main.ts',
    env: { ...DEV_CREDENTIALS, SANDBOX_QUENTLI_PORT: String(quentliPort), SANDBOX_NXLINK_PORT: String(nxlinkPort) },
    readyUrls: [`${quentliUrl}/__sandbox/faults`, `${nxlinkUrl}/__sandbox/faults`],
  });
  const gateway = await startService({
    name: 'gateway',
    script: 'dist/server.js',
    nodeFlags: startFlags(),
    env: {
      ...DEV_CREDENTIALS,
      NODE_ENV: 'production',
      PORT: String(gatewayPort),
      HOST: '127.0.0.1',
      QUENTLI_BASE_URL: quentliUrl,
      NXLINK_BASE_URL: nxlinkUrl,
      GATEWAY_API_KEYS: BENCH_GATEWAY_KEY,
      GATEWAY_GRAPHIQL: 'true',
      GATEWAY_RATE_LIMIT: '0',
    },
    readyUrls: [`${gatewayUrl}/health`],
  });
  try {
    const rows: [string, number][] = [['at rest', memory(gateway.pid).rssMb]];
    let next = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < DISTINCT_QUERIES; i = next++) {
          const response = await fetch(`${gatewayUrl}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_GATEWAY_KEY}` },
            body: JSON.stringify({ query: distinctQuery(i) }),
          });
          const body = (await response.json()) as { errors?: unknown };
          if (!response.ok || body.errors !== undefined) failed += 1;
        }
      }),
    );
    if (failed > 0) throw new Error(`${failed} of the ${DISTINCT_QUERIES} queries failed`);
    rows.push([`after ${DISTINCT_QUERIES} distinct valid queries`, memory(gateway.pid).rssMb]);
    // Read as a browser receives it, compressed; undici's request does not inflate 50 pages at
    // once in this one process (fetch would, slowly enough to stall the transfers).
    await Promise.all(
      Array.from({ length: PARALLEL_PAGES }, async () => {
        const response = await request(`${gatewayUrl}/graphql`, {
          headers: { accept: 'text/html', 'accept-encoding': 'gzip' },
        });
        if (response.statusCode !== 200) throw new Error(`GraphiQL answered ${response.statusCode}`);
        await response.body.arrayBuffer();
      }),
    );
    rows.push([`after ${PARALLEL_PAGES} parallel GraphiQL loads`, memory(gateway.pid).rssMb]);
    for (const [what, mb] of rows) console.log(`${what.padEnd(40)} ${mb.toFixed(1).padStart(7)} MB`);
    console.log(`${'peak while under load'.padEnd(40)} ${memory(gateway.pid).peakRssMb.toFixed(1).padStart(7)} MB`);
    const met = rows.every(([, mb]) => mb < LIMIT_MB);
    console.log(
      `target: RSS after each phase under ${LIMIT_MB} MB: ${met ? 'met' : 'MISSED'} (gateway on Node ${process.version})`,
    );
    process.exitCode = met ? 0 : 1;
  } finally {
    await stopService(gateway);
    await stopService(sandbox);
  }
}

await main();
