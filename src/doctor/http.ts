import { request } from 'undici';

export interface ProbeAnswer {
  status: number;
  text: string;
}

const TIMEOUT_MS = 15_000;

/** One plain HTTP call: the doctor wants to see every answer as it is, so no retries. */
export async function probe(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
): Promise<ProbeAnswer> {
  const response = await request(url, {
    method: init.method,
    headers: init.headers,
    body: init.body,
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
  });
  return { status: response.statusCode, text: await response.body.text() };
}
