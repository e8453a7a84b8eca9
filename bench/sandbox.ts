/** The sandbox upstreams' control routes (no auth, never logged, never faulted). */

export interface UpstreamCalls {
  quentli: number;
  nxlink: number;
}

export interface SandboxUrls {
  quentliUrl: string;
  nxlinkUrl: string;
}

/** Every upstream request then waits this long before it is answered; 0 clears. */
export async function setLatency(sandbox: SandboxUrls, latencyMs: number): Promise<void> {
  const body = JSON.stringify(latencyMs > 0 ? { latencyMs } : {});
  await Promise.all(urls(sandbox).map((url) => control('PUT', `${url}/__sandbox/faults`, body)));
}

/** Forgets the request logs: the next count starts at zero, and the sandbox's memory stays flat. */
export async function resetCalls(sandbox: SandboxUrls): Promise<void> {
  await Promise.all(urls(sandbox).map((url) => control('DELETE', `${url}/__sandbox/requests`)));
}

export async function readCalls(sandbox: SandboxUrls): Promise<UpstreamCalls> {
  const [quentli, nxlink] = await Promise.all(
    urls(sandbox).map(async (url) => totalOf(await control('GET', `${url}/__sandbox/requests`))),
  );
  return { quentli: quentli ?? 0, nxlink: nxlink ?? 0 };
}

function urls(sandbox: SandboxUrls): [string, string] {
  return [sandbox.quentliUrl, sandbox.nxlinkUrl];
}

async function control(method: 'GET' | 'PUT' | 'DELETE', url: string, body?: string): Promise<string> {
  const response = await fetch(url, { method, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return text;
}

function totalOf(text: string): number {
  const parsed: unknown = JSON.parse(text);
  const total = typeof parsed === 'object' && parsed !== null && 'total' in parsed ? parsed.total : undefined;
  if (typeof total !== 'number') throw new Error(`Unexpected request log: ${text}`);
  return total;
}
