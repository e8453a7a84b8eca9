import type { NxlinkConfig } from '../config.ts';
import { parseJson64, stringifyJson64 } from '../upstream/nxlink/json64.ts';
import type { NxlinkPage } from '../upstream/nxlink/records.ts';
import { readNxlinkPage } from '../upstream/nxlink/schema.ts';
import { signNxlinkRequest } from '../upstream/nxlink/sign.ts';
import { checked, type CheckResult } from './check.ts';
import { probe } from './http.ts';
import { instantForms, shapeDepartures, unreadableSummary, type DocumentedShape } from './observed.ts';

const QUERY_PATH = '/saas/cdp/openapi/customers/query';
const CLOCK_PROBE_MS = 45_000;
const HOUR_MS = 3_600_000;

/**
 * A customer as NXLink's page documents it (its example also shows `tags`). Only `id`,
 * `created_at`, `updated_at` and `tenant_id` are marked required: the others may be left out.
 */
const NXLINK_SHAPE: DocumentedShape = {
  id: 'number',
  first_name: 'text',
  last_name: 'text',
  full_name: 'text',
  sms_phone: 'text',
  whatsApp_phone: 'text',
  viber_phone: 'text',
  line: 'text',
  messenger: 'text',
  instagram: 'text',
  email: 'text',
  country: 'text',
  birthday: 'text',
  remark: 'text',
  source_type: 'number',
  source_channel_key: 'text',
  gender: 'number',
  created_at: 'text',
  updated_at: 'text',
  status: 'number',
  whatApp_subscribe: 'text',
  sms_subscribe: 'text',
  customize_field: 'text',
  tenant_id: 'number',
  weight: 'number',
  web: 'text',
  tags: 'list',
};

interface QueryAnswer {
  /** NXLink's code, or the HTTP status when the answer was not NXLink's envelope. */
  code: number;
  data: unknown;
}

/**
 * Every assumption the gateway makes about NXLink, checked with queries only, `limit` as small
 * as each check allows. The signature covers the exact body sent; the secret is never printed.
 */
export async function checkNxlink(config: NxlinkConfig, now: () => number = Date.now): Promise<CheckResult[]> {
  const query = async (fields: Record<string, unknown>, clockShiftMs = 0): Promise<QueryAnswer> => {
    const body = stringifyJson64({ tenant_id: BigInt(config.tenantId), app_key: config.appKey, ...fields });
    const signed = signNxlinkRequest({
      accessKey: config.accessKey,
      accessSecret: config.accessSecret,
      ts: String(now() + clockShiftMs),
      bizType: '2',
      action: 'mt',
      body,
    });
    const answer = await probe(`${config.baseUrl}${QUERY_PATH}`, {
      method: 'POST',
      headers: { ...signed, 'content-type': 'application/json', accept: 'application/json' },
      body,
    });
    if (answer.status !== 200) return { code: answer.status, data: undefined };
    const envelope = parseJson64(answer.text) as { code?: unknown; data?: unknown };
    return { code: typeof envelope.code === 'number' ? envelope.code : -1, data: envelope.data };
  };
  const page = async (fields: Record<string, unknown>): Promise<NxlinkPage> => {
    const answer = await query(fields);
    if (answer.code !== 0) throw new Error(`code ${answer.code} to a query with ${Object.keys(fields).join(', ')}`);
    return readNxlinkPage(answer.data, config.timeZone);
  };

  const results: CheckResult[] = [];
  const access = await checked('NXLINK', 'the access key and signature are accepted', async () => {
    const answer = await query({ limit: 1 });
    if (answer.code === 0) return { outcome: 'ok', seen: 'code 0', gateway: 'serves NXLink' };
    const setting =
      answer.code === 401
        ? 'NXLINK_ACCESS_KEY, NXLINK_ACCESS_SECRET'
        : answer.code === 402
          ? "this host's clock (NTP)"
          : 'NXLINK_BASE_URL, NXLINK_TENANT_ID, NXLINK_APP_KEY';
    return { outcome: 'fails', seen: `code ${answer.code}`, gateway: 'every NXLink call fails', setting };
  });
  results.push(access);
  if (access.outcome === 'fails') return results;

  let raw: Record<string, unknown>[] = [];
  let sample: NxlinkPage = { customers: [], paging: { after: null, before: null, previous: null, next: null } };
  const unreadable: { fields: readonly string[] }[] = [];
  results.push(
    await checked('NXLINK', "the clock is well inside NXLink's 60 s window", async () => {
      const [behind, ahead] = await Promise.all([
        query({ limit: 1 }, -CLOCK_PROBE_MS),
        query({ limit: 1 }, CLOCK_PROBE_MS),
      ]);
      const ok = behind.code === 0 && ahead.code === 0;
      return {
        outcome: ok ? 'ok' : 'differs',
        seen: ok
          ? `accepted ${CLOCK_PROBE_MS / 1000} s either way`
          : `refused at ${behind.code === 0 ? '+' : '-'}${CLOCK_PROBE_MS / 1000} s: this host's clock is off by more than ${60 - CLOCK_PROBE_MS / 1000} s`,
        gateway: "signs every attempt with this host's time",
        setting: ok ? undefined : "this host's clock (NTP)",
      };
    }),
    await checked('NXLINK', 'records carry the documented fields and types', async () => {
      const answer = await query({ limit: 50 });
      const data = answer.data as { customer_list?: unknown } | undefined;
      raw = Array.isArray(data?.customer_list) ? (data.customer_list as Record<string, unknown>[]) : [];
      sample = readNxlinkPage(answer.data, config.timeZone, (report) => unreadable.push(report));
      const departures = shapeDepartures(raw, NXLINK_SHAPE);
      return {
        outcome: unreadable.length === 0 && departures.length === 0 ? 'ok' : 'differs',
        seen: [unreadableSummary(sample.customers.length, unreadable), ...departures].join('; '),
        gateway: 'reads odd values leniently; a value it cannot read is null with an UPSTREAM_BAD_RESPONSE field error',
      };
    }),
    await checked('NXLINK', 'times are offset-less local times (2024-07-19T17:29:27)', async () => {
      const forms = instantForms(raw.flatMap((record) => [record.created_at, record.updated_at]));
      return {
        outcome: forms.every((form) => form.startsWith('no offset')) ? 'ok' : 'differs',
        seen: forms.join(', ') || 'no customers',
        gateway: `reads offset-less times in ${config.timeZone}; an offset or Z in the text wins`,
        setting: 'NXLINK_TIME_ZONE',
      };
    }),
    await checked('NXLINK', `times read in ${config.timeZone} are not in the future`, async () => {
      const newest = Math.max(...sample.customers.map((customer) => Date.parse(customer.updatedAt)));
      if (!Number.isFinite(newest)) return { outcome: 'skipped', seen: 'no customers', gateway: '-' };
      const ahead = newest - now();
      const hours = Math.round(ahead / HOUR_MS);
      return ahead > HOUR_MS
        ? {
            outcome: 'fails',
            seen: `the newest update is ${hours} h in the future: the tenant's zone is likely ${hours} h east of ${config.timeZone}`,
            gateway: 'shifts every NXLink time, the merged order and time filters',
            setting: 'NXLINK_TIME_ZONE',
          }
        : {
            outcome: 'ok',
            seen: 'none in the future',
            gateway: `reads times in ${config.timeZone}`,
            setting: 'NXLINK_TIME_ZONE',
          };
    }),
  );

  const customers = sample.customers;
  if (customers.length < 4) {
    results.push({
      source: 'NXLINK',
      assumption: 'ids and paging',
      outcome: 'skipped',
      seen: 'fewer than 4 customers to check with',
      gateway: '-',
    });
    return results;
  }
  const a = customers[0]!;
  const b = customers[1]!;
  results.push(
    await checked('NXLINK', '64-bit ids round-trip exactly (after=<id+1>, limit 1)', async () => {
      const found = await page({ after: BigInt(a.id) + 1n, limit: 1 });
      const ok = found.customers[0]?.id === a.id && a.tenantId === config.tenantId;
      return {
        outcome: ok ? 'ok' : 'fails',
        seen: ok ? `${a.id.length}-digit id and the tenant id came back exactly` : 'another id or tenant came back',
        gateway: ok ? 'finds NXLink customers by id this way (node, nodes)' : 'node/nodes miss NXLink customers',
        setting: ok ? undefined : 'NXLINK_TENANT_ID',
      };
    }),
    await checked('NXLINK', 'after/before and paging: no overlap, no gap across two pages', async () => {
      const first = await page({ limit: 2 });
      const second = await page({ after: BigInt(first.paging.after ?? '0'), limit: 2 });
      const back = await page({ before: BigInt(second.customers[0]?.id ?? '0'), limit: 2 });
      const ids = (list: NxlinkPage) => list.customers.map((customer) => customer.id).join(',');
      const whole = customers
        .slice(0, 4)
        .map((customer) => customer.id)
        .join(',');
      const problems = [
        first.paging.before === a.id && first.paging.after === b.id
          ? ''
          : 'paging.before/after are not the first/last id of the page',
        `${ids(first)},${ids(second)}` === whole ? '' : 'two pages are not the first four customers',
        ids(back) === ids(first) ? '' : 'before=<first id of page 2> is not page 1',
      ].filter((problem) => problem !== '');
      return {
        outcome: problems.length === 0 ? 'ok' : 'fails',
        seen: problems.length === 0 ? 'exact' : problems.join('; '),
        gateway:
          problems.length === 0
            ? 'pages with after = paging.after, before = paging.before'
            : 'nxlinkCustomers and customers repeat or skip customers',
      };
    }),
  );
  return results;
}
