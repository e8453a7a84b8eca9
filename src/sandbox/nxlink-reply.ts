import { randomUUID } from 'node:crypto';
import type { FaultReplies } from './faults.ts';
import type { Reply } from './http.ts';
import { stringifyWithIntegers } from './json-integers.ts';

/** A refusal NXLink answers as HTTP 200 with this `code` (400, 401, 402...). */
export class NxlinkError extends Error {
  override readonly name = 'NxlinkError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const CODE_MESSAGES: Readonly<Record<number, string>> = {
  400: 'bad parameter',
  401: 'invalid accessKey or sign',
  402: 'timestamp out of range',
  429: 'too many requests',
  500: 'internal error',
};

/**
 * NXLink's envelope, always HTTP 200. Bigints are written as bare numbers, so ids
 * above 2^53 go out digit-exact.
 */
export function nxlinkReply(code: number, message: string | null, data: unknown): Reply {
  // 32 hex digits, as NXLink's; randomUUID draws from a cached pool of random bytes, where
  // randomBytes asked the system for 16 bytes per reply (a tenth of a busy sandbox's time).
  const traceId = randomUUID().replaceAll('-', '');
  return { status: 200, body: stringifyWithIntegers({ code, message, traceId, data }) };
}

export const nxlinkFaultReplies: FaultReplies = {
  // Outages come from the load balancer in front of NXLink: plain text, not the envelope.
  status: (status, retryAfterSeconds) => ({
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
    },
    body: `${status} ${status === 503 ? 'Service Temporarily Unavailable' : 'Error'}`,
  }),
  malformed: () => ({ status: 200, body: '{"code":0,"message":null,"data":{"paging":{"after":10211107188' }),
  code: (code, message) => nxlinkReply(code, message ?? CODE_MESSAGES[code] ?? 'error', null),
};
