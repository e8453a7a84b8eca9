import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNxlinkLoaders } from '../../src/loaders/nxlink.ts';
import { createPeopleLoaders } from '../../src/loaders/people.ts';
import { createQuentliLoaders } from '../../src/loaders/quentli.ts';
import { keyText } from '../../src/people/match.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import type { NxlinkClient, QuentliClient } from '../../src/upstream/clients.ts';
import { createNxlinkClient } from '../../src/upstream/nxlink/client.ts';
import { createQuentliClient } from '../../src/upstream/quentli/client.ts';
import { NXLINK, QUENTLI_KEY, singleAttempt } from '../upstream/helpers.ts';

let sandbox: Sandbox;
let quentli: QuentliClient;
let nxlink: NxlinkClient;

beforeAll(async () => {
  sandbox = await startSandbox({ quentliApiKey: QUENTLI_KEY, nxlink: NXLINK, customersPerSource: 10 });
  quentli = createQuentliClient(
    { baseUrl: sandbox.quentli.url, apiKey: QUENTLI_KEY },
    { timeoutMs: 2_000, policy: singleAttempt('QUENTLI') },
  );
  nxlink = createNxlinkClient(
    { baseUrl: sandbox.nxlink.url, ...NXLINK },
    { timeoutMs: 2_000, policy: singleAttempt('NXLINK') },
  );
});
afterAll(async () => {
  await quentli?.close();
  await nxlink?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.quentli.resetRequests());

function peopleLoaders() {
  const quentliLoaders = createQuentliLoaders(quentli, {});
  const nxlinkLoaders = createNxlinkLoaders(nxlink, {});
  return createPeopleLoaders({
    quentli: () => quentliLoaders,
    nxlink: () => nxlinkLoaders,
    quentliListItems: quentli.encoding.maxListItems,
    quentliTieBreak: quentli.encoding.tieBreakSortKey,
  });
}

const BASE = Date.UTC(2026, 0, 1);
/** `count` Quentli customers sharing `phone`, created one second apart, oldest first. */
function customersWithPhone(phone: string, count: number, start: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      sandbox.quentli.store.insert({ phoneNumber: phone, createdAt: new Date(BASE + start + i * 1_000).toISOString() })
        .id,
  );
}

const listCalls = () =>
  sandbox.quentli.requests.filter((request) => request.method === 'GET' && request.path === '/v1/customers');

describe('look-up by phone when a phone has more than 100 Quentli customers', () => {
  it('reads every one of 130 matches, newest first, past the first page of 100', async () => {
    const ids = customersWithPhone('+525511110001', 130, 0);
    const found = await peopleLoaders().quentliOf.load(keyText({ kind: 'PHONE', phone: '+525511110001' }));
    expect(found.map((record) => record.id)).toEqual([...ids].reverse());
    // A full page of 100, the other records of its last instant (the keyset walk's tie step),
    // then the 30 older ones.
    expect(listCalls().map((call) => new URLSearchParams(call.query).get('limit'))).toEqual(['100', '100', '100']);
  });

  it('answers each phone of one batch with its own customers when one phone fills whole pages', async () => {
    const crowding = customersWithPhone('+525522220001', 120, 1_000_000);
    const crowded = customersWithPhone('+525522220002', 3, 0);
    const loaders = peopleLoaders();
    const [first, second, none] = await Promise.all(
      ['+525522220001', '+525522220002', '+525522220003'].map((phone) =>
        loaders.quentliOf.load(keyText({ kind: 'PHONE', phone })),
      ),
    );
    expect(first!.map((record) => record.id)).toEqual([...crowding].reverse());
    expect(second!.map((record) => record.id)).toEqual([...crowded].reverse());
    expect(none).toEqual([]);
  });
});
