import { createHash, timingSafeEqual } from 'node:crypto';

export type KeyCheck = { outcome: 'valid'; keyId: string } | { outcome: 'missing' } | { outcome: 'invalid' };

/**
 * Checks `Authorization: Bearer <key>` against the configured gateway keys (several, so keys
 * can be rotated). Keys are compared as SHA-256 digests in constant time: neither the content
 * nor the length of a key leaks through timing. A valid key is named by a short prefix of its
 * digest (`keyId`), which identifies the client in rate limits and logs without revealing it.
 */
export function createKeyChecker(keys: readonly string[]): (authorization: string | null) => KeyCheck {
  const digests = keys.map(digest);
  return (authorization) => {
    if (authorization === null || authorization.trim() === '') return { outcome: 'missing' };
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] === undefined) return { outcome: 'invalid' };
    const presented = digest(match[1]);
    let found: Buffer | undefined;
    for (const candidate of digests) if (timingSafeEqual(candidate, presented)) found = candidate;
    return found === undefined
      ? { outcome: 'invalid' }
      : { outcome: 'valid', keyId: found.subarray(0, 6).toString('hex') };
  };
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
