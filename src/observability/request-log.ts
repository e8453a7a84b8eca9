import type { GraphQLError } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import { operationNameOf } from './operation-name.ts';
import { requestIdOf, type GatewayContext } from '../context.ts';
import { errorsOfPart, type ResultPart } from '../plugins/defer-stream.ts';
import type { Logger } from './logger.ts';

interface RequestRecord {
  started: number;
  path: string;
  operation?: string;
  /** The errors of the answer, code and message (what the client was told), the first few. */
  errors?: { code: unknown; message: string }[];
  /** An answer sent in parts (`@defer`, `@stream`): how many so far, and when the first went. */
  parts?: { count: number; firstMs?: number; ended: boolean };
  /** The status of the response, once it is out, for an answer sent in parts. */
  status?: number;
}

const LOGGED_ERRORS = 5;

const QUIET_PATHS = new Set(['/health', '/readiness', '/metrics']);

/**
 * One JSON log line per request, with its id (echoed in `x-request-id`), the operation, the
 * status, the duration, the upstream calls it made per source and the errors of its answer.
 * Probes and scrapes log at debug level. An answer sent in parts (`@defer`, `@stream`) is logged
 * when its last part is out (or the client left): the duration is to the last part, with the
 * number of parts and the time to the first, and the errors and upstream calls of every part.
 */
export function useRequestLog(
  logger: Logger,
  contexts: WeakMap<Request, GatewayContext>,
): Plugin<GatewayContext & YogaInitialContext> {
  // The line is built below from fixed fields, none of which can hold a secret, so it skips the
  // logger's redaction pass, which would cost more than the rest of the line together.
  const lines = logger.child({}, { redact: [] });
  const records = new WeakMap<Request, RequestRecord>();
  const write = (request: Request, status: number): void => {
    const context = contexts.get(request);
    const record = records.get(request);
    const path = record?.path ?? new URL(request.url).pathname;
    const line = {
      requestId: context?.requestId ?? requestIdOf(request),
      method: request.method,
      path,
      operation: record?.operation,
      status,
      durationMs: record === undefined ? undefined : elapsed(record),
      ...(record?.parts === undefined ? {} : { parts: record.parts.count, firstPartMs: record.parts.firstMs }),
      upstreams: context?.upstreamTimings,
      errors: record?.errors,
    };
    // Error level is for the gateway's own faults: a client's mistake (a bad document, bad
    // input, a missing key) or an upstream's outage is logged as any other request.
    if (QUIET_PATHS.has(path)) lines.debug(line, 'request');
    else if (record?.errors?.some((error) => error.code === 'INTERNAL_SERVER_ERROR') || status >= 500) {
      lines.error(line, 'request');
    } else lines.info(line, 'request');
  };
  return {
    onRequest: ({ request, url }) => void records.set(request, { started: performance.now(), path: url.pathname }),
    onExecute: ({ args }) => {
      const record = records.get(args.contextValue.request);
      if (record !== undefined) record.operation = operationNameOf(args) ?? 'anonymous';
    },
    onResultProcess: ({ request, result, setResult }) => {
      const record = records.get(request);
      if (record === undefined || Array.isArray(result)) return;
      if (isAsyncIterable(result)) {
        const parts: NonNullable<RequestRecord['parts']> = { count: 0, ended: false };
        const seen: NonNullable<RequestRecord['errors']> = [];
        record.parts = parts;
        setResult(
          mapAsyncIterator(
            result,
            (part) => {
              parts.count += 1;
              parts.firstMs ??= elapsed(record);
              for (const error of errorsOfPart(part as ResultPart) as GraphQLError[]) {
                if (seen.length < LOGGED_ERRORS) seen.push({ code: error.extensions?.code, message: error.message });
              }
              if (seen.length > 0) record.errors = seen;
              return part;
            },
            undefined,
            () => {
              parts.ended = true;
              if (record.status !== undefined) write(request, record.status);
            },
          ),
        );
        return;
      }
      if (result.errors === undefined) return;
      record.errors = result.errors
        .slice(0, LOGGED_ERRORS)
        .map((error) => ({ code: error.extensions?.code, message: error.message }));
    },
    onResponse: ({ request, response }) => {
      const record = records.get(request);
      if (record?.parts === undefined || response.body === null) return write(request, response.status);
      // Sent in parts: logged when the last is out.
      record.status = response.status;
      if (record.parts.ended) write(request, response.status);
    },
  };
}

function elapsed(record: RequestRecord): number {
  return Math.round((performance.now() - record.started) * 10) / 10;
}
