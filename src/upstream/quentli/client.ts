import type { QuentliConfig } from '../../config.ts';
import type { QuentliClient } from '../clients.ts';
import { UpstreamError } from '../errors.ts';
import { createUpstreamHttp, statusError, type ErrorBody, type UpstreamAnswer, type UpstreamCall } from '../http.ts';
import { ReadSharing } from '../read-sharing.ts';
import type { CallOptions } from '../call.ts';
import type { UpstreamPolicy } from '../resilience.ts';
import type { UpstreamSource } from '../errors.ts';
import type { UnreadableReporter } from '../lenient.ts';
import { encodeListQuery, type QuentliEncoding } from './filter.ts';
import {
  QUENTLI_CREATE_FIELDS,
  QUENTLI_UPDATE_FIELDS,
  type QuentliCustomerRecord,
  type QuentliUpdateInput,
} from './records.ts';
import { quentliErrorBodySchema, readQuentliCustomerEnvelope, readQuentliCustomerList } from './schema.ts';

export interface QuentliClientOptions {
  timeoutMs: number;
  policy: UpstreamPolicy;
  connections?: number;
  /** Told of every record with fields the gateway could not read. */
  onUnreadable?: UnreadableReporter;
  /** Told about each read that shared an identical one in flight instead of calling. */
  onReadShared?: (source: UpstreamSource) => void;
}

/** Only what Quentli's page documents. */
export const DOCUMENTED_ENCODING: QuentliEncoding = { maxListItems: 20, tieBreakSortKey: false };

export function createQuentliClient(config: QuentliConfig, clientOptions: QuentliClientOptions): QuentliClient {
  const http = createUpstreamHttp({
    source: 'QUENTLI',
    baseUrl: config.baseUrl,
    timeoutMs: clientOptions.timeoutMs,
    connections: clientOptions.connections,
  });
  const authorization = `Bearer ${config.apiKey}`;
  const { policy, onUnreadable } = clientOptions;
  const encoding = config.encoding ?? DOCUMENTED_ENCODING;
  const sharing = new ReadSharing('QUENTLI', clientOptions.onReadShared);

  async function call(
    operation: string,
    method: UpstreamCall['method'],
    path: string,
    payload: unknown,
    options: CallOptions | undefined,
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { authorization, accept: 'application/json', ...options?.traceHeaders?.() };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const attempt = async (signal: AbortSignal | undefined) => {
      const answer = await http.send({ operation, method, path, headers, body, signal });
      if (answer.status < 200 || answer.status > 299) {
        throw statusError('QUENTLI', operation, answer, 'a 2xx status', errorBody(answer.text));
      }
      return { status: answer.status, body: parseJson(operation, answer) };
    };
    // GET is the only read; a POST or PATCH is sent once, whatever happens.
    return method === 'GET' ? policy.read(operation, attempt, options) : policy.write(operation, attempt, options);
  }

  return {
    async listCustomers(params, options) {
      const path = `/v1/customers?${encodeListQuery(params, encoding)}`;
      return sharing.read(path, 'list customers', options, async (shared) => {
        const { body } = await call('list customers', 'GET', path, undefined, shared);
        return readQuentliCustomerList(body, onUnreadable);
      });
    },

    async createCustomer(input, options) {
      const payload = { input: pick(input, QUENTLI_CREATE_FIELDS) };
      return customerOf(await call('create a customer', 'POST', '/v1/customers', payload, options), onUnreadable);
    },

    async updateCustomer(id, input: QuentliUpdateInput, options) {
      const payload = {
        input: {
          data: pick(input.data, QUENTLI_UPDATE_FIELDS),
          ...(input.otp === undefined ? {} : { otp: input.otp }),
        },
      };
      const path = `/v1/customers/${encodeURIComponent(id)}`;
      return customerOf(await call('update a customer', 'PATCH', path, payload, options), onUnreadable);
    },

    encoding,
    policy,
    close: () => http.close(),
  };
}

/**
 * The customer of a write's answer. Quentli has written by now (it answered 2xx), so a failure
 * to read the answer keeps that status: the mutation reports the write as done, not failed.
 */
function customerOf(
  answer: { status: number; body: unknown },
  report: UnreadableReporter | undefined,
): QuentliCustomerRecord {
  try {
    return readQuentliCustomerEnvelope(answer.body, report);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    throw new UpstreamError('QUENTLI', error.code, error.message, {
      status: answer.status,
      details: error.details,
      cause: error,
    });
  }
}

/** Keeps the listed fields that are present; explicit nulls are kept (they clear a field). */
function pick<T extends object>(input: T, fields: readonly (keyof T)[]): Partial<T> {
  const picked: Partial<T> = {};
  for (const field of fields) {
    if (input[field] !== undefined) picked[field] = input[field];
  }
  return picked;
}

function parseJson(operation: string, answer: UpstreamAnswer): unknown {
  try {
    return JSON.parse(answer.text);
  } catch (error) {
    throw new UpstreamError(
      'QUENTLI',
      'UPSTREAM_BAD_RESPONSE',
      `Quentli answered with a body that is not JSON (${operation}); expected a JSON document`,
      { status: answer.status, cause: error },
    );
  }
}

/** Quentli's `{ "error": { code, message, details } }`, when the body is one. */
function errorBody(text: string): ErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = quentliErrorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { code, message, details } = parsed.data.error;
  return {
    code,
    message,
    details: details?.map((detail) => ({ path: detail.path.map(String), message: detail.message })),
  };
}
