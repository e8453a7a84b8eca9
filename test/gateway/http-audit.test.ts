import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/**
 * The GraphQL-over-HTTP conformance audits of `graphql-http`, against the gateway over HTTP: a
 * MUST that fails is an `error`, a SHOULD a `warn`; every audit must come back `ok`. The few
 * that query `__type` (introspection) are skipped, saying so, where introspection is off.
 */
const KEY = 'gk_audit_0a1b2c3d4e';

let sandbox: TestGateway;
let keyed: TestGateway;

beforeAll(async () => {
  sandbox = await startTestGateway({ GATEWAY_RATE_LIMIT: '0' });
  keyed = await startTestGateway(
    { GATEWAY_ALLOW_ANONYMOUS: 'false', GATEWAY_API_KEYS: KEY, GATEWAY_RATE_LIMIT: '0' },
    { upstreamsOf: sandbox },
  );
});
afterAll(async () => {
  await keyed?.close();
  await sandbox?.close();
});

/** A client that sends the gateway key with every audit request. */
const withKey: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${KEY}`);
  return fetch(input, { ...init, headers });
};

// The audit list does not depend on the URL: it is read once to name the tests.
const audits = serverAudits({ url: 'http://127.0.0.1/graphql' });
/** Ids of the audits whose request queries `__type`, read from the library's own source. */
const introspecting = new Set(
  readFileSync(
    new URL('audits/server.js', pathToFileURL(createRequire(import.meta.url).resolve('graphql-http'))),
    'utf8',
  )
    .split('utils_1.audit)(')
    .filter((block) => block.includes('__type('))
    .map((block) => /'([0-9A-F]{4})'/.exec(block)?.[1])
    .filter((id) => id !== undefined),
);
const SKIPPED = 'it queries __type, and introspection is off on this gateway';
console.info(`graphql-http audits skipped on the production gateway (${SKIPPED}): ${[...introspecting].join(', ')}`);

describe.each([
  ['the sandbox gateway (anonymous)', () => sandbox, fetch, true],
  ['a production gateway (keys required, introspection off)', () => keyed, withKey, false],
])('GraphQL over HTTP audit of %s', (_name, gateway, fetchFn, introspection) => {
  const runnable = audits.filter((audit) => introspection || !introspecting.has(audit.id));
  it.skipIf(introspection || introspecting.size === 0)(
    `skips ${introspecting.size} audits: ${SKIPPED}`,
    () => undefined,
  );
  it.each(runnable.map((audit) => [audit.name, audit.id] as const))('%s', async (_audit, id) => {
    const audit = serverAudits({ url: `${gateway().url}/graphql`, fetchFn }).find((candidate) => candidate.id === id)!;
    const result = await audit.fn();
    const reason = 'reason' in result ? result.reason : '';
    expect({ status: result.status, reason }).toEqual({ status: 'ok', reason: '' });
  });
});
