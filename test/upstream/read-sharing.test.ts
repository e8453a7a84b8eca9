import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/upstream/errors.ts';
import { ReadSharing } from '../../src/upstream/read-sharing.ts';
import type { CallOptions } from '../../src/upstream/call.ts';

/** A read whose answer the test gives, and the options its one call ran with. */
function pendingRead() {
  let give!: (value: string) => void;
  const calls: CallOptions[] = [];
  const read = (options: CallOptions) => {
    calls.push(options);
    return new Promise<string>((resolve) => (give = resolve));
  };
  return { read, calls, give: (value: string) => give(value) };
}

describe('a read shared by several requests', () => {
  it('goes on for the others when one request gives up, which gets its own cancellation', async () => {
    const sharing = new ReadSharing('QUENTLI');
    const pending = pendingRead();
    const leaving = new AbortController();
    const staying = new AbortController();
    const first = sharing.read('k', 'list customers', { signal: leaving.signal }, pending.read);
    const second = sharing.read('k', 'list customers', { signal: staying.signal }, pending.read);
    leaving.abort(new DOMException("the request's deadline passed", 'TimeoutError'));
    await expect(first).rejects.toThrow(UpstreamError);
    await expect(first).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(pending.calls).toHaveLength(1);
    expect(pending.calls[0]!.signal?.aborted).toBe(false);
    pending.give('page');
    await expect(second).resolves.toBe('page');
  });

  it('is cancelled once every request waiting for it has gone', async () => {
    const sharing = new ReadSharing('NXLINK');
    const pending = pendingRead();
    const controllers = [new AbortController(), new AbortController()];
    const reads = controllers.map((controller) =>
      sharing.read('k', 'query customers', { signal: controller.signal }, pending.read),
    );
    for (const controller of controllers) controller.abort(new Error('client went away'));
    for (const read of reads) await expect(read).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(pending.calls[0]!.signal?.aborted).toBe(true);
  });

  it('may retry until the latest deadline of the requests waiting for it', () => {
    const sharing = new ReadSharing('QUENTLI');
    const pending = pendingRead();
    void sharing.read('k', 'list customers', { deadlineAt: 1_000 }, pending.read);
    void sharing.read('k', 'list customers', { deadlineAt: 3_000 }, pending.read);
    void sharing.read('k', 'list customers', { deadlineAt: 2_000 }, pending.read);
    expect(pending.calls).toHaveLength(1);
    expect(pending.calls[0]!.deadlineAt).toBe(3_000);
  });
});

describe('a read that has settled', () => {
  it('leaves no listener on the signals of the requests that shared it, however it ended', async () => {
    const sharing = new ReadSharing('NXLINK');
    const signals = [new AbortController().signal, new AbortController().signal];
    const listeners = () => signals.map((signal) => getEventListeners(signal, 'abort').length);
    const answered = pendingRead();
    const reads = signals.map((signal) => sharing.read('k', 'query customers', { signal }, answered.read));
    expect(listeners()).toEqual([2, 2]);
    answered.give('page');
    await Promise.all(reads);
    expect(listeners()).toEqual([0, 0]);

    const failing = (): Promise<string> => Promise.reject(new Error('refused'));
    await Promise.allSettled(signals.map((signal) => sharing.read('f', 'query customers', { signal }, failing)));
    expect(listeners()).toEqual([0, 0]);
  });
});
