import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { nxlinkSign } from '../../src/sandbox/nxlink-auth.ts';
import { md5Sign, NXLINK, nxlinkBody, nxlinkQuery, QUERY_PATH, start } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start();
});
afterAll(() => sandbox.close());

/** The documented header values, a body and a secret; the sign computed once with md5sum. */
const VECTOR = {
  accessKey: 'fme2na3kdi3ki',
  ts: '1655710885431',
  body: '{"tenant_id":123,"app_key":"46oKF=os","limit":5}',
  secret: 's3cret',
  sign: 'edb2bff15dd2c42a2d5d6bf67553bd27',
};

describe('NXLink signature', () => {
  it('is the md5 of the sorted headers, the exact body and the secret (known vector)', () => {
    expect(md5Sign(VECTOR.accessKey, VECTOR.ts, VECTOR.body, VECTOR.secret)).toBe(VECTOR.sign);
  });

  it('is what the sandbox itself computes for the known vector', () => {
    const headers = { accessKey: VECTOR.accessKey, action: 'mt', bizType: '2', ts: VECTOR.ts };
    expect(nxlinkSign(headers, VECTOR.body, VECTOR.secret)).toBe(VECTOR.sign);
  });

  describe('at the instant of the known vector', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('accepts the request signed with the known vector', async () => {
      const vectorSandbox = await start({
        customersPerSource: 10,
        nxlink: {
          accessKey: VECTOR.accessKey,
          accessSecret: VECTOR.secret,
          tenantId: '123',
          appKey: '46oKF=os',
          timeZone: 'UTC',
        },
      });
      try {
        vi.useFakeTimers({ toFake: ['Date'], now: Number(VECTOR.ts) });
        const response = await fetch(`${vectorSandbox.nxlink.url}${QUERY_PATH}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accessKey: VECTOR.accessKey,
            ts: VECTOR.ts,
            bizType: '2',
            action: 'mt',
            sign: VECTOR.sign,
          },
          body: VECTOR.body,
        });
        const answer = (await response.json()) as { code: number; data: { customer_list: unknown[] } };
        expect(response.status).toBe(200);
        expect(answer.code).toBe(0);
        expect(answer.data.customer_list).toHaveLength(5);
      } finally {
        vi.useRealTimers();
        await vectorSandbox.close();
      }
    });
  });

  it('accepts a correctly signed request with code 0 and a hex traceId', async () => {
    const { status, json } = await nxlinkQuery(sandbox, nxlinkBody({ limit: 5 }));
    expect(status).toBe(200);
    expect(json).toMatchObject({ code: 0, message: null, traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(json.data?.customer_list).toHaveLength(5);
  });

  it.each([
    ['a wrong secret', { secret: 'not-the-secret' }],
    ['an unknown accessKey', { accessKey: 'someone-else' }],
    ['a missing sign header', { headers: { sign: '' } }],
  ])('refuses %s with HTTP 200 and code 401', async (_, options) => {
    const { status, json } = await nxlinkQuery(sandbox, nxlinkBody(), options);
    expect(status).toBe(200);
    expect(json.code).toBe(401);
    expect(json.message).toEqual(expect.any(String));
    expect(json.data).toBeNull();
  });

  it('wants the sign in lowercase hex', async () => {
    const ts = String(Date.now());
    const body = nxlinkBody();
    const sign = md5Sign(NXLINK.accessKey, ts, body, NXLINK.accessSecret).toUpperCase();
    expect((await nxlinkQuery(sandbox, body, { ts, headers: { sign } })).json.code).toBe(401);
  });

  it('signs the exact body text: a re-serialised body no longer matches', async () => {
    const signedBody = nxlinkBody({ limit: 5 });
    const ts = String(Date.now());
    const response = await fetch(`${sandbox.nxlink.url}${QUERY_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accessKey: NXLINK.accessKey,
        ts,
        bizType: '2',
        action: 'mt',
        sign: md5Sign(NXLINK.accessKey, ts, signedBody, NXLINK.accessSecret),
      },
      body: signedBody.replaceAll(',', ', '),
    });
    expect(((await response.json()) as { code: number }).code).toBe(401);
  });

  it('refuses a ts 61 s old with code 402 and accepts one 59 s old', async () => {
    expect((await nxlinkQuery(sandbox, nxlinkBody(), { ts: String(Date.now() - 61_000) })).json.code).toBe(402);
    expect((await nxlinkQuery(sandbox, nxlinkBody(), { ts: String(Date.now() + 61_000) })).json.code).toBe(402);
    expect((await nxlinkQuery(sandbox, nxlinkBody(), { ts: String(Date.now() - 59_000) })).json.code).toBe(0);
  });

  it('never names the secret or the expected sign in a refusal', async () => {
    const ts = String(Date.now());
    const body = nxlinkBody();
    const { text } = await nxlinkQuery(sandbox, body, { ts, secret: 'wrong' });
    expect(text).not.toContain(NXLINK.accessSecret);
    expect(text).not.toContain(md5Sign(NXLINK.accessKey, ts, body, NXLINK.accessSecret));
  });

  it('records refused requests with their exact body', async () => {
    sandbox.nxlink.resetRequests();
    const body = nxlinkBody({ limit: 3 });
    await nxlinkQuery(sandbox, body, { secret: 'wrong' });
    expect(sandbox.nxlink.requests).toHaveLength(1);
    expect(sandbox.nxlink.requests[0]).toMatchObject({ method: 'POST', path: QUERY_PATH, body });
    expect(sandbox.nxlink.requests[0]?.headers.accesskey).toBe(NXLINK.accessKey);
  });
});

describe('NXLink parameters', () => {
  const TENANT = BigInt(NXLINK.tenantId);

  it.each([
    [
      'a quoted tenant_id',
      `{"tenant_id":"${NXLINK.tenantId}","app_key":"${NXLINK.appKey}","limit":5}`,
      /tenant_id must be a JSON integer/,
    ],
    ['a missing tenant_id', `{"app_key":"${NXLINK.appKey}","limit":5}`, /tenant_id is required/],
    ['another tenant_id', nxlinkBody({ tenant_id: TENANT + 1n }), /tenant_id/],
    ['a tenant_id rounded by a double', nxlinkBody({ tenant_id: 9007199254740992n }), /tenant_id/],
    ['a wrong app_key', nxlinkBody({ app_key: 'other' }), /app_key/],
    ['limit 51', nxlinkBody({ limit: 51 }), /limit/],
    ['limit 0', nxlinkBody({ limit: 0 }), /limit/],
    ['limit 2.5', nxlinkBody({ limit: 2.5 }), /limit/],
    ['a quoted limit', nxlinkBody({ limit: '5' }), /limit must be a JSON integer/],
    [
      'limit 5.0, a number but not written as an integer',
      `{"tenant_id":${NXLINK.tenantId},"app_key":"${NXLINK.appKey}","limit":5.0}`,
      /limit must be a JSON integer/,
    ],
    ['a missing limit', `{"tenant_id":${NXLINK.tenantId},"app_key":"${NXLINK.appKey}"}`, /limit is required/],
    [
      'both after and before',
      nxlinkBody({ after: 1021110718827683840n, before: 1021110718827683840n }),
      /after and before/,
    ],
    ['a quoted after', nxlinkBody({ after: '1021110718827683840' }), /after must be a JSON integer/],
    ['a malformed start_time', nxlinkBody({ start_time: '2024-05-07T00:00:00' }), /start_time/],
    ['an impossible end_time', nxlinkBody({ end_time: '2024-02-30 00:00:00' }), /end_time/],
    ['an unknown tags_logic_type', nxlinkBody({ tags_logic_type: 'xor' }), /tags_logic_type/],
    ['a phone with a plus', nxlinkBody({ whatsApp_phone: '+525512345678' }), /whatsApp_phone/],
    ['a misspelt filter', nxlinkBody({ whatsapp_phone: '525512345678' }), /Unknown parameter "whatsapp_phone"/],
    ['a tag without tag_name', nxlinkBody({ tags: [{ id: 27237 }] }), /tag_name/],
    ['a body that is not JSON', '{"tenant_id":', /JSON/],
  ])('refuses %s with code 400 and a message', async (_, body, message) => {
    const { status, json } = await nxlinkQuery(sandbox, body);
    expect(status).toBe(200);
    expect(json.code).toBe(400);
    expect(json.message).toMatch(message);
  });

  it('answers HTTP 404 for another path and 405 for another method', async () => {
    expect((await fetch(`${sandbox.nxlink.url}/saas/cdp/openapi/customers`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${sandbox.nxlink.url}${QUERY_PATH}`)).status).toBe(405);
  });
});
