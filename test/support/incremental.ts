/** One part of an answer sent in parts, as it came over the wire, and when it came. */
export interface ReceivedPart {
  /** Milliseconds from sending the request to this part's arrival. */
  at: number;
  payload: Payload;
}

export interface Payload {
  // biome-ignore lint/suspicious/noExplicitAny: the parts hold whatever the query selects
  data?: Record<string, any> | null;
  errors?: WireError[];
  hasNext?: boolean;
  incremental?: {
    // biome-ignore lint/suspicious/noExplicitAny: the parts hold whatever the query selects
    data?: Record<string, any> | null;
    items?: unknown[] | null;
    path: (string | number)[];
    label?: string;
    errors?: WireError[];
  }[];
}

export interface WireError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface PartsResponse {
  status: number;
  contentType: string | null;
  parts: ReceivedPart[];
  /** The raw body: no part of it may hold a secret (checked by the caller). */
  text: string;
}

/**
 * POSTs a query asking for the answer in parts (`multipart/mixed` or `text/event-stream`) and
 * reads each part as it arrives: a plain reader of both wire formats, so that tests see exactly
 * what a client gets, part by part, before any client library assembles them.
 */
export async function postForParts(
  url: string,
  query: string,
  accept: 'multipart/mixed' | 'text/event-stream',
  options: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<PartsResponse> {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...options.headers },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  const contentType = response.headers.get('content-type');
  const parts: ReceivedPart[] = [];
  const decoder = new TextDecoder();
  let text = '';
  let buffer = '';
  const streamed = contentType?.startsWith('multipart/mixed')
    ? 'multipart'
    : contentType?.startsWith('text/event-stream')
      ? 'sse'
      : undefined;
  for await (const chunk of response.body ?? []) {
    const decoded = decoder.decode(chunk as Uint8Array, { stream: true });
    text += decoded;
    if (streamed === undefined) continue;
    buffer += decoded;
    const separator = streamed === 'multipart' ? '\r\n---' : '\n\n';
    for (let index = buffer.indexOf(separator); index !== -1; index = buffer.indexOf(separator)) {
      const segment = buffer.slice(0, index);
      buffer = buffer.slice(index + separator.length);
      const payload = streamed === 'multipart' ? multipartBody(segment) : eventData(segment);
      if (payload !== undefined)
        parts.push({ at: performance.now() - started, payload: JSON.parse(payload) as Payload });
    }
  }
  return { status: response.status, contentType, parts, text };
}

/** A multipart segment's body: after its headers' blank line (the first segment has none). */
function multipartBody(segment: string): string | undefined {
  const blank = segment.indexOf('\r\n\r\n');
  return blank === -1 ? undefined : segment.slice(blank + 4);
}

/** The data of an SSE `next` event; undefined for pings (`:`) and the `complete` event. */
function eventData(block: string): string | undefined {
  const lines = block.split('\n');
  if (!lines.includes('event: next')) return undefined;
  return lines
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice('data: '.length))
    .join('\n');
}
