import { createHash } from 'node:crypto';

export interface NxlinkSignInput {
  accessKey: string;
  accessSecret: string;
  /** Milliseconds since the epoch, as text; NXLink refuses one more than 60 s from its clock. */
  ts: string;
  bizType: string;
  action: string;
  /** The exact JSON text that will be sent as the body. */
  body: string;
}

/** The headers that authenticate one NXLink request. The secret is not among them. */
export interface NxlinkSignedHeaders {
  accessKey: string;
  ts: string;
  bizType: string;
  action: string;
  sign: string;
}

/**
 * NXLink's rule: sign = lowercase hex md5 of
 *   "accessKey=..&action=..&bizType=..&ts=.." (the four headers, sorted by name in ASCII order)
 *   + "&body=" + the body text byte for byte
 *   + "&accessSecret=" + the secret.
 * The body is signed as sent, so the caller must sign the very string it puts on the wire.
 */
export function signNxlinkRequest(input: NxlinkSignInput): NxlinkSignedHeaders {
  const headers = {
    accessKey: input.accessKey,
    ts: input.ts,
    bizType: input.bizType,
    action: input.action,
  };
  const headersStr = Object.entries(headers)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const sign = createHash('md5')
    .update(`${headersStr}&body=${input.body}&accessSecret=${input.accessSecret}`, 'utf8')
    .digest('hex');
  return { ...headers, sign };
}
