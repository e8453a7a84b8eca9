import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { BREAK, visit, type DocumentNode, type GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import { maskError } from './error-masking.ts';

/**
 * One part of an incremental response as the executor yields it (graphql-tools' executor, the
 * 2022 `@defer`/`@stream` proposal that Apollo Client calls Defer20220824 and urql reads): the
 * first part has `data` (and `hasNext: true`); each later one has `incremental`, a list of
 * deferred fragments (`data` at `path`) and streamed list items (`items` from `path`), each with
 * its own `errors`, and `hasNext: false` on the last.
 */
export interface ResultPart {
  data?: unknown;
  errors?: readonly unknown[];
  hasNext?: boolean;
  incremental?: readonly IncrementalItem[];
  extensions?: unknown;
}

export interface IncrementalItem {
  data?: unknown;
  items?: unknown;
  path?: readonly (string | number)[];
  label?: string;
  errors?: readonly unknown[];
}

/** The media types Yoga streams parts in: multipart/mixed and Server-Sent Events. */
const STREAMED_MEDIA_TYPES = [
  ['multipart', 'mixed'],
  ['text', 'event-stream'],
] as const;
type YogaContext = YogaInitialContext & Record<string, unknown>;

const INCREMENTAL_DIRECTIVES = new Set(['defer', 'stream']);
const asking = new WeakMap<DocumentNode, boolean>();
const withoutDirectives = new WeakMap<DocumentNode, DocumentNode>();

/** Whether a document has `@defer` or `@stream` anywhere (remembered per parsed document). */
export function asksForIncrementalDelivery(document: DocumentNode): boolean {
  let found = asking.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Directive: (node) => {
        if (!INCREMENTAL_DIRECTIVES.has(node.name.value)) return undefined;
        found = true;
        return BREAK;
      },
    });
    asking.set(document, found);
  }
  return found;
}

/** Every error of a part: its own and those of each deferred fragment or streamed item in it. */
export function errorsOfPart(part: ResultPart): unknown[] {
  return [...(part.errors ?? []), ...(part.incremental ?? []).flatMap((item) => item.errors ?? [])];
}

/** The part with each of its errors (its own and its items') replaced by `map`'s. */
export function mapErrorsOfPart<Part extends ResultPart>(part: Part, map: (error: GraphQLError) => GraphQLError): Part {
  const mapped: Part =
    part.errors === undefined ? part : { ...part, errors: part.errors.map((error) => map(error as GraphQLError)) };
  if (part.incremental === undefined || !part.incremental.some((item) => item.errors !== undefined)) return mapped;
  return {
    ...mapped,
    incremental: part.incremental.map((item) =>
      item.errors === undefined ? item : { ...item, errors: item.errors.map((error) => map(error as GraphQLError)) },
    ),
  };
}

/**
 * The part with errors added: to a later part's first deferred fragment or streamed item (where
 * Apollo Client and urql read a later part's errors), else beside the part's data.
 */
export function addErrorsToPart<Part extends ResultPart>(part: Part, errors: readonly GraphQLError[]): Part {
  const [first, ...rest] = part.incremental ?? [];
  if (first === undefined) return { ...part, errors: [...(part.errors ?? []), ...errors] };
  return { ...part, incremental: [{ ...first, errors: [...(first.errors ?? []), ...errors] }, ...rest] };
}

/**
 * Whether Yoga will stream the answer to this request: its Accept header (none means any) names
 * `multipart/mixed` or `text/event-stream`, or a wildcard that covers one, as Yoga reads it
 * (utf-8 only, no q-values).
 */
export function acceptsIncrementalDelivery(request: Request): boolean {
  const accepted = (request.headers.get('accept') ?? '*/*').replace(/\s/g, '').toLowerCase().split(',');
  return accepted.some((entry) => {
    const [mediaType = '', ...parameters] = entry.split(';');
    const charset = parameters.find((parameter) => parameter.startsWith('charset='));
    if (charset !== undefined && charset !== 'charset=utf-8') return false;
    const [type, subtype] = mediaType.split('/');
    return STREAMED_MEDIA_TYPES.some(
      ([streamedType, streamedSubtype]) =>
        (type === '*' || type === streamedType) && (subtype === '*' || subtype === streamedSubtype),
    );
  });
}

/**
 * `@defer` and `@stream` (graphql-yoga's plugin: the directives, their validation rules, and
 * execution by graphql-tools' executor, which yields the parts), with what the gateway adds:
 * - a request whose Accept header takes only JSON runs its document without the directives and
 *   gets the whole answer at once (Yoga would run it and then answer 406 with nothing);
 * - errors of deferred fragments and streamed items are masked like the first part's (Yoga
 *   masks a part's top-level errors only): an upstream failure keeps its code and source,
 *   anything else becomes INTERNAL_SERVER_ERROR.
 * Compiled execution leaves documents with the directives to graphql-js (compiled-execution.ts).
 */
export function useDeferAndStream(): Plugin<YogaContext> {
  return {
    onPluginInit: ({ addPlugin }) => addPlugin(useDeferStream<YogaContext>()),
    onExecute: ({ args, executeFn, setExecuteFn }) => {
      if (!asksForIncrementalDelivery(args.document)) return undefined;
      if (!acceptsIncrementalDelivery(args.contextValue.request)) {
        setExecuteFn((executionArgs) =>
          executeFn({ ...executionArgs, document: withoutIncrementalDirectives(executionArgs.document) }),
        );
        return undefined;
      }
      return {
        onExecuteDone: ({ result }) => {
          if (!isAsyncIterable(result)) return undefined;
          return {
            onNext: ({ result: part, setResult }) => {
              const { incremental } = part as ResultPart;
              if (incremental?.some((item) => item.errors !== undefined)) {
                setResult({ ...part, incremental: incremental.map(maskItemErrors) } as typeof part);
              }
            },
          };
        },
      };
    },
  };
}

function maskItemErrors(item: IncrementalItem): IncrementalItem {
  return item.errors === undefined ? item : { ...item, errors: item.errors.map((error) => maskError(error)) };
}

/** The document with every `@defer` and `@stream` removed (remembered per parsed document). */
function withoutIncrementalDirectives(document: DocumentNode): DocumentNode {
  let plain = withoutDirectives.get(document);
  if (plain === undefined) {
    plain = visit(document, { Directive: (node) => (INCREMENTAL_DIRECTIVES.has(node.name.value) ? null : undefined) });
    withoutDirectives.set(document, plain);
  }
  return plain;
}
