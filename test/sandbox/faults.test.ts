import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { nxlinkBody, nxlinkQuery, quentliList, quentliWrite, start } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ customersPerSource: 30 });
});
afterEach(() => {
  sandbox.quentli.faults.clear();
  sandbox.nxlink.faults.clear();
});
afterAll(() => sandbox.close());

type ErrorBody = { error: { code: string; message: string } };

describe('Quentli faults', () => {
  it('answers a set status with the Quentli error body', async () => {
    sandbox.quentli.faults.set({ status: 503 });
    const { status, json } = await quentliList<ErrorBody>(sandbox);
    expect(status).toBe(503);
    expect(json.error).toEqual({ code: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
  });

  it('answers 429 RATE_LIMITED with Retry-After in seconds', async () => {
    sandbox.quentli.faults.set({ status: 429, retryAfterSeconds: 7 });
    const { status, headers, json } = await quentliList<ErrorBody>(sandbox);
    expect(status).toBe(429);
    expect(headers.get('retry-after')).toBe('7');
    expect(json.error.code).toBe('RATE_LIMITED');
  });

  it('delays the answer by latencyMs, then answers normally', async () => {
    sandbox.quentli.faults.set({ latencyMs: 150 });
    const started = performance.now();
    const { status } = await quentliList(sandbox);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(status).toBe(200);
  });

  it('resets the connection without an answer', async () => {
    sandbox.quentli.faults.set({ reset: true });
    await expect(quentliList(sandbox)).rejects.toThrow();
  });

  it('answers 200 with a body that is not JSON when malformed', async () => {
    sandbox.quentli.faults.set({ malformed: true });
    const { status, text } = await quentliList(sandbox);
    expect(status).toBe(200);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('applies only to the next N requests with times', async () => {
    sandbox.quentli.faults.set({ status: 500, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await quentliList(sandbox)).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('applies only to the given methods', async () => {
    sandbox.quentli.faults.set({ status: 502, methods: ['post'] });
    expect((await quentliList(sandbox)).status).toBe(200);
    expect((await quentliWrite(sandbox, 'POST', '/v1/customers', '{"input":{"name":"Ana"}}')).status).toBe(502);
  });

  it('applies before authentication, as an outage in front of the API would', async () => {
    sandbox.quentli.faults.set({ status: 503 });
    expect((await quentliList(sandbox, '', {})).status).toBe(503);
  });

  it('stops when cleared, and still logs faulted requests', async () => {
    sandbox.quentli.resetRequests();
    sandbox.quentli.faults.set({ status: 500 });
    await quentliList(sandbox);
    sandbox.quentli.faults.clear();
    expect((await quentliList(sandbox)).status).toBe(200);
    expect(sandbox.quentli.requests).toHaveLength(2);
  });

  it.each([
    ['a success status', { status: 200 }],
    ['an NXLink code', { nxlinkCode: 500 }],
    ['two answers at once', { status: 503, reset: true }],
    ['Retry-After without a status', { retryAfterSeconds: 3 }],
    ['times alone', { times: 2 }],
    ['an unknown field', { statusCode: 500 }],
  ])('refuses a fault with %s', (_, fault) => {
    expect(() => sandbox.quentli.faults.set(fault as never)).toThrow(/Invalid fault/);
  });
});

describe('NXLink faults', () => {
  it('answers a set nxlinkCode as HTTP 200 with that code', async () => {
    sandbox.nxlink.faults.set({ nxlinkCode: 500 });
    const { status, json } = await nxlinkQuery(sandbox, nxlinkBody());
    expect(status).toBe(200);
    expect(json).toMatchObject({ code: 500, message: expect.any(String), data: null });
  });

  it('answers a set status as a plain HTTP 5xx', async () => {
    sandbox.nxlink.faults.set({ status: 503 });
    const { status, headers, text } = await nxlinkQuery(sandbox, nxlinkBody());
    expect(status).toBe(503);
    expect(headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toContain('503');
  });

  it('answers 200 with a truncated body when malformed', async () => {
    sandbox.nxlink.faults.set({ malformed: true, times: 1 });
    const { status, json } = await nxlinkQuery(sandbox, nxlinkBody());
    expect(status).toBe(200);
    expect(json).toBeUndefined();
    expect((await nxlinkQuery(sandbox, nxlinkBody())).json.code).toBe(0);
  });

  it('combines latency with another fault', async () => {
    sandbox.nxlink.faults.set({ latencyMs: 100, nxlinkCode: 429 });
    const started = performance.now();
    const { json } = await nxlinkQuery(sandbox, nxlinkBody());
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(json.code).toBe(429);
  });

  it('only touches its own upstream', async () => {
    sandbox.nxlink.faults.set({ status: 503 });
    expect((await quentliList(sandbox)).status).toBe(200);
  });
});

describe('Sandbox control routes', () => {
  const control = (sandboxUrl: string, method: string, path: string, body?: string) =>
    fetch(`${sandboxUrl}/__sandbox/${path}`, { method, ...(body === undefined ? {} : { body }) });

  it('sets and clears faults over HTTP', async () => {
    const set = await control(sandbox.quentli.url, 'PUT', 'faults', JSON.stringify({ status: 503, times: 1 }));
    expect(set.status).toBe(200);
    expect((await quentliList(sandbox)).status).toBe(503);
    await control(sandbox.quentli.url, 'PUT', 'faults', JSON.stringify({ status: 500 }));
    const cleared = await control(sandbox.quentli.url, 'PUT', 'faults', '{}');
    expect(await cleared.json()).toEqual({ fault: null });
    expect((await quentliList(sandbox)).status).toBe(200);
  });

  it('refuses an invalid fault with 400 and the reason', async () => {
    const response = await control(sandbox.nxlink.url, 'PUT', 'faults', JSON.stringify({ status: 'soon' }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/status/);
  });

  it('counts requests by method and path, and clears them', async () => {
    sandbox.nxlink.resetRequests();
    await nxlinkQuery(sandbox, nxlinkBody());
    await nxlinkQuery(sandbox, nxlinkBody());
    const counted = await control(sandbox.nxlink.url, 'GET', 'requests');
    expect(await counted.json()).toEqual({ total: 2, counts: { 'POST /saas/cdp/openapi/customers/query': 2 } });
    expect((await control(sandbox.nxlink.url, 'DELETE', 'requests')).status).toBe(204);
    expect(sandbox.nxlink.requests).toHaveLength(0);
  });

  it('is never logged and never faulted', async () => {
    sandbox.quentli.resetRequests();
    sandbox.quentli.faults.set({ reset: true });
    const response = await control(sandbox.quentli.url, 'GET', 'requests');
    expect(response.status).toBe(200);
    expect(sandbox.quentli.requests).toHaveLength(0);
  });
});
