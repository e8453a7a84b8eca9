import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createQuentliLoaders } from '../../src/loaders/quentli.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import type { QuentliClient } from '../../src/upstream/clients.ts';
import { createQuentliClient } from '../../src/upstream/quentli/client.ts';
import { NXLINK, QUENTLI_KEY, singleAttempt } from '../upstream/helpers.ts';

let sandbox: Sandbox;
let client: QuentliClient;

beforeAll(async () => {
  sandbox = await startSandbox({ quentliApiKey: QUENTLI_KEY, nxlink: NXLINK, customersPerSource: 10 });
  client = createQuentliClient({ baseUrl: sandbox.quentli.url, apiKey: QUENTLI_KEY }, { timeoutMs: 2_000, policy: singleAttempt('QUENTLI') });
});
afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.quentli.resetRequests());

const BASE = Date.UTC(2026, 0, 1);
const at = (offsetMs: number) => new Date(BASE + offsetMs).toISOString();
let serial = 0;
/** `count` customers sharing `phone`, created one second apart from `start` on. */
function customersWithPhone(phone: string, count: number, start: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    serial += 1;
    return sandbox.quentli.store.insert({ phoneNumber: phone, createdAt: at(start + i * 1_000), name: `Shared ${serial}` }).id;
  });
}

const listCalls = () => sandbox.quentli.requests.filter((request) => request.method === 'GET' && request.path === '/v1/customers');

describe('Quentli look-up by phone when a phone has more than 100 customers', () => {
  it('answers the newest customer of a phone with 130 matches, in one call', async () => {
    const ids = customersWithPhone('+525511110001', 130, 0);
    const loaders = createQuentliLoaders(client, {});
    const found = await loaders.byPhone.load('+525511110001');
    expect(found?.id).toBe(ids.at(-1));
    expect(listCalls()).toHaveLength(1);
  });

  it('asks again for the phones a full page of another phone crowded out, and finds their newest', async () => {
    // The 120 customers of the first phone are all newer than those of the second: a page of
    // 100 newest-first holds none of the second's.
    const crowding = customersWithPhone('+525522220001', 120, 1_000_000);
    const crowded = customersWithPhone('+525522220002', 3, 0);
    const loaders = createQuentliLoaders(client, {});
    const [first, second, none] = await loaders.byPhone.loadMany(['+525522220001', '+525522220002', '+525522220003']);
    expect(first).toMatchObject({ id: crowding.at(-1) });
    expect(second).toMatchObject({ id: crowded.at(-1) });
    expect(none).toBeNull();
    // One full page, then one call for the two phones still unanswered (the last of them has none).
    const calls = listCalls();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.query).not.toContain('525522220001');
    expect(calls[1]!.query).toContain('525522220002');
  });
});
