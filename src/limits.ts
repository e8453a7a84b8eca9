import { readFileSync } from 'node:fs';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import { Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * Every limit on what one request may ask, in one place. Cost is counted by the schema (see
 * builder.ts): a connection multiplies the cost of its items by `first`/`last`.
 */
export const QUERY_LIMITS = {
  /** Deep enough for customers > edges > node > cross-link > fields, and a nested fragment. */
  depth: 12,
  aliases: 15,
  tokens: 3_000,
  complexity: 12_000,
  /** Bytes of a request body; a page of the largest allowed document is far smaller. */
  bodyBytes: 100_000,
} as const;

/**
 * Parsed documents kept for reuse (with their validation and cost, which are
 * remembered per document object): a client that sends ever new queries must not grow the
 * gateway's memory without bound. Apps send a few dozen distinct documents; 200 keeps them all.
 */
export const DOCUMENT_CACHE_ENTRIES = 200;

/**
 * Compiled execution (graphql-jit): a document is compiled when it runs for the second time,
 * and the most recently used `documents` stay compiled. Compiled code is the largest thing kept
 * per document (hundreds of kilobytes for a page with links): apps run a few dozen hot
 * documents, which stay compiled; a stream of ever new documents is never compiled.
 */
export const COMPILED_EXECUTION = { compileOnRun: 2, documents: 50 } as const;

/** Limits on input values, in variables and inline. */
export const INPUT_LIMITS = {
  /** Levels of nested objects and lists: a filter with several levels of AND/OR/NOT fits. */
  depth: 24,
} as const;

/** Trusted documents by hash: a file's map, or a store such as a Redis hash. */
export interface PersistedDocuments {
  get(hash: string): string | undefined | Promise<string | undefined>;
}

export interface LimitOptions {
  introspection: boolean;
  /** Trusted documents: when given, only these operations run, by hash. */
  persistedDocuments: PersistedDocuments | undefined;
}

/**
 * Refused at validation, before any resolver runs. The standard introspection query stays
 * allowed while introspection is on: GraphiQL, codegen and client caches depend on it.
 */
export function queryLimitPlugins(options: LimitOptions): Plugin[] {
  const plugins: Plugin[] = [
    maxTokensPlugin({ n: QUERY_LIMITS.tokens, exposeLimits: true }),
    maxDepthPlugin({ n: QUERY_LIMITS.depth, ignoreIntrospection: true, flattenFragments: true, exposeLimits: true }),
    maxAliasesPlugin({ n: QUERY_LIMITS.aliases, exposeLimits: true }),
    useComplexityLimit(QUERY_LIMITS.complexity),
  ];
  if (!options.introspection) plugins.push(useDisableIntrospection());
  const documents = options.persistedDocuments;
  if (documents !== undefined) {
    plugins.push(
      usePersistedOperations({
        getPersistedOperation: async (hash) => (await documents.get(hash)) ?? null,
        allowArbitraryOperations: false,
      }),
    );
  }
  return plugins;
}

/** Distinct variable sets remembered per document, before its entries start over. */
const COMPLEXITY_ENTRIES_PER_DOCUMENT = 64;

/**
 * Refuses, before execution, an operation whose cost (counted by the schema's complexity
 * options: a connection multiplies its items by `first`/`last`) is above `limit`. The cost
 * depends on the document and its variables only, so it is worked out once per pair: Yoga's
 * parser cache hands out the same document object for the same text.
 */
export function useComplexityLimit(limit: number): Plugin {
  const costs = new WeakMap<DocumentNode, Map<string, number | undefined>>();
  return {
    onExecute: ({ args, setResultAndStopExecution }) => {
      const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
      let known = costs.get(args.document);
      if (known === undefined) costs.set(args.document, (known = new Map()));
      let complexity = known.get(key);
      if (!known.has(key)) {
        complexity = costOf(args.schema, args.document, args.operationName, args.variableValues);
        if (known.size >= COMPLEXITY_ENTRIES_PER_DOCUMENT) known.clear();
        known.set(key, complexity);
      }
      if (complexity !== undefined && complexity > limit) {
        setResultAndStopExecution({
          errors: [
            createGraphQLError(
              `The query would cost ${complexity}, above the limit of ${limit}: ask for smaller pages (first/last) or fewer fields.`,
              { extensions: { code: 'QUERY_TOO_COMPLEX', complexity, limit } },
            ),
          ],
        });
      }
    },
  };
}

/**
 * The cost of the operation that will run; undefined when its variables do not fit it, which
 * execution then reports.
 */
function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number | undefined {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const operation =
    operationName == null ? operations[0] : operations.find((candidate) => candidate.name?.value === operationName);
  if (operation === undefined) return undefined;
  const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  try {
    return complexityFromQuery(
      { ...document, definitions: [operation, ...fragments] },
      { schema, variables: variables ?? {} },
    ).complexity;
  } catch {
    return undefined;
  }
}

/**
 * A persisted-documents file: a JSON object of hash to document, as GraphQL Code Generator's
 * client preset writes it (`persistedDocuments: true`).
 */
export function readPersistedDocuments(path: string): Map<string, string> {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path} must hold a JSON object of hash to GraphQL document`);
  }
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (typeof document !== 'string') throw new Error(`${path}: the document of ${hash} must be a string`);
    documents.set(hash, document);
  }
  return documents;
}
