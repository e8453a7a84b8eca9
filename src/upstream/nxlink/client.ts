import type { NxlinkConfig } from '../../config.ts';
import type { NxlinkClient } from '../clients.ts';
import { UpstreamError } from '../errors.ts';
import { int64OrUndefined } from '../ids.ts';
import { createUpstreamHttp, statusError, type UpstreamAnswer } from '../http.ts';
import { ReadSharing } from '../read-sharing.ts';
import type { UpstreamPolicy } from '../resilience.ts';
import type { UpstreamSource } from '../errors.ts';
import { validateAnswer } from '../validate.ts';
import { parseJson64, stringifyJson64 } from './json64.ts';
import type { NxlinkQuery, NxlinkTagSelector } from './records.ts';
import type { UnreadableReporter } from '../lenient.ts';
import { nxlinkEnvelopeSchema, readNxlinkPage } from './schema.ts';
import { signNxlinkRequest } from './sign.ts';
import { toNxlinkTime } from './time.ts';

export interface NxlinkClientOptions {
  timeoutMs: number;
  policy: UpstreamPolicy;
  connections?: number;
  /** Clock for the `ts` header (milliseconds); tests skew it to see NXLink refuse. */
  now?: () => number;
  /** Told of every record with fields the gateway could not read. */
  onUnreadable?: UnreadableReporter;
  /** Told about each read that shared an identical one in flight instead of calling. */
  onReadShared?: (source: UpstreamSource) => void;
}

const QUERY_PATH = '/saas/cdp/openapi/customers/query';
const OPERATION = 'query customers';
const BIZ_TYPE = '2';
const ACTION = 'mt';
const DEFAULT_SCAN_PAGES = 3;

export function createNxlinkClient(config: NxlinkConfig, options: NxlinkClientOptions): NxlinkClient {
  const tenantId = int64OrUndefined(config.tenantId);
  if (tenantId === undefined) {
    throw new TypeError('NxlinkConfig.tenantId must be a 64-bit integer written in decimal digits');
  }
  const http = createUpstreamHttp({
    source: 'NXLINK',
    baseUrl: config.baseUrl,
    timeoutMs: options.timeoutMs,
    connections: options.connections,
  });
  const now = options.now ?? Date.now;
  const { policy } = options;
  const { timeZone } = config;
  // Every NXLink call is a read: the same body is the same query.
  const sharing = new ReadSharing('NXLINK', options.onReadShared);

  return {
    async queryCustomers(query, call) {
      const body = stringifyJson64(queryBody(tenantId, config, query));
      return sharing.read(body, OPERATION, call, (shared) =>
        policy.read(
          OPERATION,
          async (signal) => {
            // Signed per attempt: the signature covers this exact text and a fresh timestamp.
            const signed = signNxlinkRequest({
              accessKey: config.accessKey,
              accessSecret: config.accessSecret,
              ts: String(now()),
              bizType: BIZ_TYPE,
              action: ACTION,
              body,
            });
            const answer = await http.send({
              operation: OPERATION,
              method: 'POST',
              path: QUERY_PATH,
              headers: {
                ...signed,
                'content-type': 'application/json',
                accept: 'application/json',
                ...shared.traceHeaders?.(),
              },
              body,
              signal,
            });
            return readNxlinkPage(successData(answer), timeZone, options.onUnreadable);
          },
          shared,
        ),
      );
    },
    scanPages: config.scanPages ?? DEFAULT_SCAN_PAGES,
    policy,
    close: () => http.close(),
  };
}

/** The wire body. 64-bit values are bigint so that they are written as bare digits. */
function queryBody(tenantId: bigint, config: NxlinkConfig, query: NxlinkQuery): Record<string, unknown> {
  const body: Record<string, unknown> = {
    tenant_id: tenantId,
    app_key: config.appKey,
    limit: query.limit,
  };
  const set = (name: string, value: unknown) => {
    if (value !== undefined) body[name] = value;
  };
  set('name', query.name);
  set('email', query.email);
  set('whatsApp_phone', query.whatsappPhone);
  set('sms_phone', query.smsPhone);
  set('viber_phone', query.viberPhone);
  set('start_time', query.startTime === undefined ? undefined : time('startTime', query.startTime, config.timeZone));
  set('end_time', query.endTime === undefined ? undefined : time('endTime', query.endTime, config.timeZone));
  set(
    'tags',
    query.tags?.map((tag) => tagBody('tags', tag)),
  );
  set(
    'his_tags',
    query.hisTags?.map((tag) => tagBody('hisTags', tag)),
  );
  set('tags_logic_type', query.tagsLogicType);
  set('source_type', query.sourceType);
  set('source_channel_key', query.sourceChannelKey);
  set('after', query.after === undefined ? undefined : int64('after', query.after));
  set('before', query.before === undefined ? undefined : int64('before', query.before));
  return body;
}

function tagBody(field: string, tag: NxlinkTagSelector): { id: bigint; tag_name: string } {
  return { id: int64(`${field}[].id`, tag.id), tag_name: tag.tagName };
}

/** A query value the gateway cannot send is refused before any call, as NXLink would. */
function int64(field: string, digits: string): bigint {
  const value = int64OrUndefined(digits);
  if (value === undefined) {
    throw rejectedQuery(`${field} must be a 64-bit integer written in decimal digits`);
  }
  return value;
}

function time(field: string, isoInstant: string, zone: string): string {
  try {
    return toNxlinkTime(isoInstant, zone);
  } catch (error) {
    throw rejectedQuery(`${field} must be an ISO 8601 instant with Z or an offset`, error);
  }
}

function rejectedQuery(message: string, cause?: unknown): UpstreamError {
  return new UpstreamError('NXLINK', 'UPSTREAM_REJECTED', `NXLink query not sent: ${message}`, { cause });
}

/** `data` of a code-0 answer; every other outcome becomes an UpstreamError. */
function successData(answer: UpstreamAnswer): unknown {
  const { status } = answer;
  if (status !== 200) throw statusError('NXLINK', OPERATION, answer, 'HTTP 200 with a result code');
  let json: unknown;
  try {
    json = parseJson64(answer.text);
  } catch (error) {
    throw new UpstreamError(
      'NXLINK',
      'UPSTREAM_BAD_RESPONSE',
      `NXLink answered with a body that is not JSON (${OPERATION}); expected {"code", "message", "data"}`,
      { status, cause: error },
    );
  }
  const envelope = validateAnswer('NXLINK', 'answer envelope', nxlinkEnvelopeSchema, json);
  if (envelope.code === 0) return envelope.data;
  throw codeError(envelope.code, envelope.message ?? undefined, envelope.traceId ?? undefined);
}

/**
 * NXLink reports failures as HTTP 200 with a non-zero code. Its message is only passed on for
 * code 400 (it names the bad parameter); for the others it adds nothing and could, for a
 * signature failure, echo what was signed.
 */
function codeError(code: number, message: string | undefined, traceId: string | undefined): UpstreamError {
  const trace = traceId ? `; traceId ${traceId}` : '';
  const options = { status: code };
  switch (code) {
    case 401:
      return new UpstreamError(
        'NXLINK',
        'UPSTREAM_AUTH',
        `NXLink refused the access key or signature (code 401${trace}); check NXLINK_ACCESS_KEY and NXLINK_ACCESS_SECRET`,
        options,
      );
    case 402:
      return new UpstreamError(
        'NXLINK',
        'UPSTREAM_AUTH',
        `NXLink refused the request timestamp (code 402${trace}): the ts header must be within 60 s of NXLink's clock; check this host's clock`,
        options,
      );
    case 400:
      return new UpstreamError(
        'NXLINK',
        'UPSTREAM_REJECTED',
        `NXLink refused the query as a bad parameter (code 400${trace})${message ? `: ${message}` : ''}`,
        options,
      );
    case 429:
      return new UpstreamError(
        'NXLINK',
        'UPSTREAM_RATE_LIMITED',
        `NXLink is rate limiting the gateway (code 429${trace})`,
        options,
      );
    default:
      return new UpstreamError(
        'NXLINK',
        'UPSTREAM_UNAVAILABLE',
        `NXLink failed to ${OPERATION} (code ${code}${trace})`,
        options,
      );
  }
}
