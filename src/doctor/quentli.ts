import qs from 'qs';
import type { QuentliConfig } from '../config.ts';
import { DOCUMENTED_ENCODING } from '../upstream/quentli/client.ts';
import type { QuentliCustomerRecord } from '../upstream/quentli/records.ts';
import { readQuentliCustomerList } from '../upstream/quentli/schema.ts';
import { checked, type CheckResult } from './check.ts';
import { instantForms, shapeDepartures, unreadableSummary, type DocumentedShape } from './observed.ts';
import { probe } from './http.ts';

const QS = { encodeValuesOnly: true, strictNullHandling: true } as const;

/** A customer as Quentli's pages document it. */
const QUENTLI_SHAPE: DocumentedShape = {
  id: 'text',
  createdAt: 'text',
  updatedAt: 'text',
  name: 'text',
  username: 'text',
  organizationId: 'text',
  acceptedServiceAgreement: 'boolean',
  skipTaxInvoice: 'boolean',
  emailVerified: 'boolean',
  phoneNumberVerified: 'boolean',
  hasChangedPassword: 'boolean',
  email: 'text',
  phoneNumber: 'text',
  secondaryPhoneNumber: 'text',
  archivedAt: 'text',
  archivedById: 'text',
  signatureAcceptedAt: 'text',
  optedOutWhatsappAt: 'text',
  optedInWhatsappAt: 'text',
  startedWhatsappAt: 'text',
  replyWithAssistant: 'boolean',
  metadata: 'list',
  meta: 'object',
};
const SAMPLE = 20;

/**
 * Every assumption the gateway makes about Quentli, checked with list calls only (no writes),
 * `limit` as small as each check allows.
 */
export async function checkQuentli(config: QuentliConfig): Promise<CheckResult[]> {
  const encoding = config.encoding ?? DOCUMENTED_ENCODING;
  const get = (query: string) =>
    probe(`${config.baseUrl}/v1/customers?${query}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${config.apiKey}`, accept: 'application/json' },
    });
  /** The customers of a list call, read as the gateway reads them; undefined for a non-200. */
  const list = async (query: string): Promise<{ status: number; customers?: QuentliCustomerRecord[] }> => {
    const answer = await get(query);
    if (answer.status !== 200) return { status: answer.status };
    return { status: 200, customers: readQuentliCustomerList(JSON.parse(answer.text)) };
  };
  const filterParam = (filter: unknown) => `filter=${encodeURIComponent(qs.stringify(filter, QS))}`;
  const orderParam = (order: Record<string, string>) => `orderBy=${encodeURIComponent(qs.stringify(order, QS))}`;

  const results: CheckResult[] = [];
  let raw: Record<string, unknown>[] = [];
  let sample: QuentliCustomerRecord[] = [];
  const unreadable: { fields: readonly string[] }[] = [];
  const access = await checked('QUENTLI', 'the API key is accepted', async () => {
    const answer = await get(`limit=${SAMPLE}`);
    if (answer.status === 401 || answer.status === 403) {
      return {
        outcome: 'fails',
        seen: `HTTP ${answer.status}`,
        gateway: 'every Quentli call fails (UPSTREAM_AUTH)',
        setting: 'QUENTLI_API_KEY',
      };
    }
    if (answer.status !== 200) {
      return {
        outcome: 'fails',
        seen: `HTTP ${answer.status} to GET /v1/customers?limit=${SAMPLE}`,
        gateway: 'Quentli calls fail',
        setting: 'QUENTLI_BASE_URL',
      };
    }
    const json: unknown = JSON.parse(answer.text);
    raw = Array.isArray(json) ? (json as Record<string, unknown>[]) : [];
    sample = readQuentliCustomerList(json, (report) => unreadable.push(report));
    return { outcome: 'ok', seen: `HTTP 200, ${sample.length} customers`, gateway: 'serves Quentli' };
  });
  results.push(access);
  if (access.outcome === 'fails') return results;

  results.push(
    await checked('QUENTLI', 'records carry the documented fields and types', async () => {
      const departures = shapeDepartures(raw, QUENTLI_SHAPE);
      return {
        outcome: unreadable.length === 0 && departures.length === 0 ? 'ok' : 'differs',
        seen: [unreadableSummary(sample.length, unreadable), ...departures].join('; '),
        gateway: 'reads odd values leniently; a value it cannot read is null with an UPSTREAM_BAD_RESPONSE field error',
      };
    }),
    await checked('QUENTLI', 'timestamps are ISO 8601 in UTC with Z', async () => {
      const forms = instantForms(raw.flatMap((record) => [record.createdAt, record.updatedAt]));
      return {
        outcome: forms.every((form) => form.startsWith('Z')) ? 'ok' : 'differs',
        seen: forms.join(', ') || 'no customers',
        gateway: 'reads any ISO 8601 form: Z, z, an offset, with or without fractions',
      };
    }),
  );
  const [first] = sample;
  if (first === undefined) {
    results.push({
      source: 'QUENTLI',
      assumption: 'filters, orders and paging',
      outcome: 'skipped',
      seen: 'no customers to check with',
      gateway: '-',
    });
    return results;
  }

  results.push(
    await checked('QUENTLI', '`filter` is one qs-encoded object (id[equals])', async () => {
      const found = await list(`${filterParam({ id: { equals: first.id } })}&limit=2`);
      const ok = found.customers?.length === 1 && found.customers[0]?.id === first.id;
      return {
        outcome: ok ? 'ok' : 'fails',
        seen: ok ? 'the one customer' : describe(found),
        gateway: ok ? 'filters with it' : 'look-ups and filters fail',
      };
    }),
    await checked('QUENTLI', 'a list of 21 items inside filter (id[in])', async () => {
      const ids = [first.id, ...Array.from({ length: 20 }, (_, index) => `cdoctor${String(index).padStart(18, '0')}`)];
      const found = await list(`${filterParam({ id: { in: ids } })}&limit=1`);
      const accepted = found.customers?.length === 1 && found.customers[0]?.id === first.id;
      if (accepted) {
        return {
          outcome: 'ok',
          seen: 'read as a list',
          gateway: `sends at most ${encoding.maxListItems} per list`,
          setting: 'QUENTLI_MAX_LIST_ITEMS (may be raised, up to 100)',
        };
      }
      return {
        outcome: encoding.maxListItems > 20 ? 'fails' : 'differs',
        seen: `not read as a list (${describe(found)}): qs defaults, arrayLimit 20`,
        gateway:
          encoding.maxListItems > 20
            ? `sends up to ${encoding.maxListItems}: look-ups will fail`
            : 'sends at most 20 per list and splits larger look-ups',
        setting: 'QUENTLI_MAX_LIST_ITEMS must stay at most 20',
      };
    }),
    await checked('QUENTLI', 'one sort key as a qs-encoded object (createdAt=asc)', async () => {
      const found = await list(`${orderParam({ createdAt: 'asc' })}&limit=3`);
      const times = found.customers?.map((customer) => Date.parse(customer.createdAt)) ?? [];
      const ok =
        found.customers !== undefined && times.every((time, index) => index === 0 || time >= times[index - 1]!);
      return {
        outcome: ok ? 'ok' : 'fails',
        seen: ok ? 'sorted' : describe(found),
        gateway: ok ? 'sends one sort key' : 'lists fail',
      };
    }),
    await checked(
      'QUENTLI',
      'a second sort key (undocumented: orderBy[0][createdAt]=asc&orderBy[1][id]=desc)',
      async () => {
        const found = await list('orderBy[0][createdAt]=asc&orderBy[1][id]=desc&limit=3');
        if (found.customers !== undefined) {
          return {
            outcome: 'ok',
            seen: 'accepted',
            gateway: encoding.tieBreakSortKey
              ? 'sends both keys'
              : 'sends one key and orders ties itself (one extra call per tie cut by a page)',
            setting: 'QUENTLI_TIE_BREAK_SORT=true may be set',
          };
        }
        return {
          outcome: encoding.tieBreakSortKey ? 'fails' : 'differs',
          seen: `refused (${describe(found)})`,
          gateway: encoding.tieBreakSortKey
            ? 'sends two keys: every list fails'
            : 'sends one key and orders ties itself',
          setting: 'QUENTLI_TIE_BREAK_SORT must stay false',
        };
      },
    ),
    await checked('QUENTLI', 'mode=insensitive beside contains', async () => {
      const named = sample.find((customer) => (customer.name ?? '').trim().length >= 3);
      if (named === undefined) return { outcome: 'skipped', seen: 'no customer with a name', gateway: '-' };
      const piece = named.name!.trim().slice(0, 3);
      const swapped = [...piece].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
      const found = await list(
        `${filterParam({ id: { equals: named.id }, name: { contains: swapped, mode: 'insensitive' } })}&limit=1`,
      );
      const ok = found.customers?.[0]?.id === named.id;
      return {
        outcome: ok ? 'ok' : 'fails',
        seen: ok ? 'matched across letter case' : describe(found),
        gateway: ok
          ? 'sends customers(filter: {search, email}) as it'
          : 'customers(filter: {search, email}) fails or misses customers',
      };
    }),
    await checked(
      'QUENTLI',
      'the equality and keyset filters paging uses (createdAt=<t>, OR[..][createdAt][lt])',
      async () => {
        const raw0 = raw.find((record) => record.id === first.id)?.createdAt;
        const at = typeof raw0 === 'string' ? raw0 : first.createdAt;
        const same = await list(`${filterParam({ createdAt: at, id: first.id })}&limit=2`);
        const after = await list(
          `${filterParam({ OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: first.id } }] })}&${orderParam({ createdAt: 'desc' })}&limit=1`,
        );
        const ok =
          same.customers?.length === 1 &&
          after.customers !== undefined &&
          after.customers.every(
            (customer) => customer.id !== first.id && Date.parse(customer.createdAt) <= Date.parse(at),
          );
        return {
          outcome: ok ? 'ok' : 'fails',
          seen: ok ? 'the expected rows' : `equality: ${describe(same)}; keyset: ${describe(after)}`,
          gateway: ok ? 'pages by keyset' : 'paging repeats or skips customers',
        };
      },
    ),
    await checked('QUENTLI', 'offset paging (offset, limit)', async () => {
      const order = orderParam({ id: 'asc' });
      const whole = await list(`${order}&limit=3`);
      const window = await list(`${order}&offset=1&limit=2`);
      const expected = whole.customers?.slice(1).map((customer) => customer.id);
      const ok =
        expected !== undefined &&
        JSON.stringify(window.customers?.map((customer) => customer.id)) === JSON.stringify(expected);
      return {
        outcome: ok ? 'ok' : 'fails',
        seen: ok ? 'consistent windows' : describe(window),
        gateway: ok ? 'pages orderBy name by offset' : 'quentliCustomers(orderBy: name) pages wrongly',
      };
    }),
  );
  return results;
}

function describe(found: { status: number; customers?: readonly unknown[] }): string {
  return found.customers === undefined ? `HTTP ${found.status}` : `${found.customers.length} customers`;
}
