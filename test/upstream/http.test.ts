import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/upstream/errors.ts';
import { createUpstreamHttp, HTTP_DEFAULTS, parseRetryAfter } from '../../src/upstream/http.ts';

describe('reading Retry-After', () => {
  const now = Date.parse('2025-01-15T10:30:00.000Z');

  it('reads delta-seconds as milliseconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date as the milliseconds until then, never negative', () => {
    expect(parseRetryAfter('Wed, 15 Jan 2025 10:30:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 15 Jan 2025 10:29:00 GMT', now)).toBe(0);
  });

  it('answers undefined when the header is absent or unreadable', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['2', '9'], now)).toBe(2_000);
  });
});

describe('an upstream answer larger than the limit', () => {
  it.each([
    ['with a Content-Length', true],
    ['streamed in chunks without one', false],
  ])('is refused as UPSTREAM_BAD_RESPONSE, %s', async (_case, withLength) => {
    const size = HTTP_DEFAULTS.maxResponseBytes + 1024;
    const server = createServer((_request, response) => {
      response.writeHead(
        200,
        withLength
          ? { 'content-type': 'application/json', 'content-length': size }
          : { 'content-type': 'application/json' },
      );
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let sent = 0; sent < size; sent += chunk.length)
        response.write(chunk.subarray(0, Math.min(chunk.length, size - sent)));
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const http = createUpstreamHttp({ source: 'QUENTLI', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5_000 });
    try {
      const error = await http
        .send({ operation: 'list customers', method: 'GET', path: '/v1/customers', headers: {} })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({
        code: 'UPSTREAM_BAD_RESPONSE',
        message: expect.stringMatching(/larger than \d+ bytes \(list customers\)/),
      });
    } finally {
      await http.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
