import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const HASH = 'sha256:3f1d5c2b0a';
const DOCUMENT = 'query FirstCustomers { customers(first: 2) { edges { node { name } } } }';

describe('trusted documents (GATEWAY_PERSISTED_DOCUMENTS)', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'trusted-')), 'persisted-documents.json');
    writeFileSync(path, JSON.stringify({ [HASH]: DOCUMENT }));
    gateway = await startTestGateway({ GATEWAY_PERSISTED_DOCUMENTS: path });
  });
  afterAll(() => gateway.close());

  const post = async (body: unknown) => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { data?: { customers: { edges: unknown[] } }; errors?: { message: string }[] };
  };

  it('runs an operation of the list, sent by its hash', async () => {
    const result = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } });
    expect(result.errors).toBeUndefined();
    expect(result.data?.customers.edges).toHaveLength(2);
  });

  it('refuses any other document, before any upstream call', async () => {
    gateway.resetRequests();
    const result = await post({ query: DOCUMENT });
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/persisted/i);
    expect(gateway.sandbox.quentli.requests.length + gateway.sandbox.nxlink.requests.length).toBe(0);
  });

  it('refuses an unknown hash', async () => {
    const result = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'sha256:unknown' } } });
    expect(result.errors?.[0]?.message).toMatch(/PersistedQueryNotFound/);
  });
});
