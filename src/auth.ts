import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <key>` against the configured gateway keys (several, so keys
 * can be rotated). Keys are compared as SHA-256 digests in constant time: neither the content
 * nor the length of a key leaks through timing.
 */
export function createKeyChecker(keys: readonly string[]): (authorization: string | null) => boolean {
  const digests = keys.map(digest);
  return (authorization) => {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
    if (match?.[1] === undefined) return false;
    const presented = digest(match[1]);
    let found = false;
    for (const candidate of digests) found = timingSafeEqual(candidate, presented) || found;
    return found;
  };
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
