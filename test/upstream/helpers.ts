import { expect } from 'vitest';
import { freePort } from '../support/ports.ts';
import { UpstreamError, type UpstreamSource } from '../../src/upstream/errors.ts';
import { createUpstreamPolicy, type UpstreamPolicy } from '../../src/upstream/resilience.ts';

export const QUENTLI_KEY = 'sk_test_quentli_9f3b1c';
export const NXLINK = {
  accessKey: 'test-access-key',
  accessSecret: 'test-access-secret-7d2e',
  tenantId: '9007199254740993',
  appKey: 'test-app',
  timeZone: 'America/Mexico_City',
};

/** Runs `call`, expects an UpstreamError and returns it, checking its message leaks no secret. */
export async function upstreamFailure(call: Promise<unknown>, secrets: string[] = []): Promise<UpstreamError> {
  const error = await call.then(
    () => expect.fail('expected the call to fail with an UpstreamError'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  const upstreamError = error as UpstreamError;
  for (const secret of [QUENTLI_KEY, NXLINK.accessSecret, ...secrets]) {
    expect(upstreamError.message).not.toContain(secret);
    expect(JSON.stringify(upstreamError.details)).not.toContain(secret);
  }
  return upstreamError;
}

/** A loopback port nothing listens on: connecting is refused. */
export const closedPort = freePort;

/** One attempt per call and a breaker that never opens: the client's own behaviour, bare. */
export function singleAttempt(source: UpstreamSource): UpstreamPolicy {
  return createUpstreamPolicy({ source, retries: 0, breakerThreshold: 1_000_000, breakerCooldownMs: 1_000 });
}
