import { createHash } from 'node:crypto';
import { secretEquals } from './bearer.ts';
import type { RecordedRequest } from './http.ts';
import { NxlinkError } from './nxlink-reply.ts';

export interface NxlinkCredentials {
  accessKey: string;
  accessSecret: string;
}

const MAX_CLOCK_SKEW_MS = 60_000;
const SIGNED_HEADERS = ['accesskey', 'action', 'biztype', 'ts'] as const;

/**
 * NXLink's signature: lowercase hex md5 of "accessKey=<k>&action=<a>&bizType=<b>&ts=<ts>"
 * (the four headers sorted by name), then "&body=" and the exact body text, then
 * "&accessSecret=" and the secret, which itself is never sent.
 */
export function nxlinkSign(
  headers: { accessKey: string; action: string; bizType: string; ts: string },
  body: string,
  secret: string,
): string {
  const signed = `accessKey=${headers.accessKey}&action=${headers.action}&bizType=${headers.bizType}&ts=${headers.ts}`;
  return createHash('md5').update(`${signed}&body=${body}&accessSecret=${secret}`, 'utf8').digest('hex');
}

/** Throws NxlinkError 401 (key or signature), 402 (timestamp) or 400 (bizType, action). */
export function authenticate(request: RecordedRequest, credentials: NxlinkCredentials, now: number): void {
  const { headers } = request;
  const missing = [...SIGNED_HEADERS, 'sign'].filter((name) => headers[name] === undefined || headers[name] === '');
  if (missing.length > 0) throw new NxlinkError(401, `Missing authentication headers: ${missing.join(', ')}`);
  const [accessKey = '', action = '', bizType = '', ts = ''] = SIGNED_HEADERS.map((name) => headers[name] ?? '');
  if (!secretEquals(accessKey, credentials.accessKey)) throw new NxlinkError(401, 'accessKey is not valid');
  if (!/^[0-9]{1,16}$/.test(ts) || Math.abs(Number(ts) - now) > MAX_CLOCK_SKEW_MS) {
    throw new NxlinkError(402, 'ts is out of range: it must be the current time in milliseconds, within 60 s');
  }
  const expected = nxlinkSign({ accessKey, action, bizType, ts }, request.body, credentials.accessSecret);
  if (!secretEquals(headers.sign ?? '', expected)) throw new NxlinkError(401, 'sign does not match the request');
  if (bizType !== '2') throw new NxlinkError(400, 'bizType must be "2"');
  if (action !== 'mt') throw new NxlinkError(400, 'action must be "mt"');
}
