import { makeExecute } from '@envelop/core';
import {
  getNamedType,
  getVariableValues,
  isInputObjectType,
  isScalarType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  BREAK,
  GraphQLError,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type GraphQLInputObjectType,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { COMPILED_EXECUTION } from './limits.ts';
import { asksForIncrementalDelivery } from './plugins/defer-stream.ts';

/**
 * Hot operations compiled by graphql-jit: execution without graphql-js's per-request field
 * collection and argument coercion. Compiled code is large (hundreds of kilobytes for a page
 * with links), so only a document that has run before is compiled, and only the most recently
 * used few stay compiled: a client that sends ever new queries runs them on graphql-js and
 * cannot grow the gateway's memory with compiled code.
 *
 * graphql-js still runs what graphql-jit cannot take:
 * - a document of several operations (compiled code is kept per document, not per operation);
 * - a document with `@defer` or `@stream`: graphql-jit knows neither and would answer at once;
 * - variables of recursive input types (QuentliCustomerFilter's AND/OR/NOT): graphql-jit
 *   0.8 unrolls them until the stack overflows, which takes seconds of CPU per new document;
 * - an inline literal of a scalar that reads variables inside its literal (JSON, JSONObject):
 *   graphql-jit parses such literals without the variables (and says so on stderr);
 * - variables that do not fit their types: graphql-jit's own coercion names the wrong variable
 *   for a field of an input object (`$email` for `$in.email`) and gives no path to it, so the
 *   variables are coerced by graphql-js first (microseconds, for the few variables of a
 *   request) and a request whose variables fail runs on graphql-js, which reports every bad
 *   field with its path.
 */
export function useCompiledExecution(): Plugin {
  const recursive = new WeakMap<GraphQLSchema, ReadonlySet<string>>();
  const decided = new WeakMap<DocumentNode, boolean>();
  const runs = new WeakMap<DocumentNode, number>();
  const compiled = new LRUCache<DocumentNode, CompiledQuery>({ max: COMPILED_EXECUTION.documents });
  const compilable = (schema: GraphQLSchema, document: DocumentNode): boolean => {
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1 || asksForIncrementalDelivery(document)) return false;
    let names = recursive.get(schema);
    if (names === undefined) recursive.set(schema, (names = recursiveInputTypes(schema)));
    const recursiveNames = names;
    const plainVariables = (operations[0]?.variableDefinitions ?? []).every((definition) => {
      const type = typeFromAST(schema, definition.type);
      return type === undefined || !recursiveNames.has(getNamedType(type).name);
    });
    return plainVariables && !hasLiteralReadingVariables(schema, document);
  };
  const compiledFor = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | undefined,
  ): CompiledQuery | undefined => {
    const hit = compiled.get(document);
    if (hit !== undefined) return hit;
    const seen = (runs.get(document) ?? 0) + 1;
    runs.set(document, seen);
    if (seen < COMPILED_EXECUTION.compileOnRun) return undefined;
    const result = compileQuery(schema, document, operationName);
    if (!isCompiledQuery(result)) {
      decided.set(document, false);
      return undefined;
    }
    compiled.set(document, result);
    return result;
  };
  return {
    onExecute({ args, setExecuteFn }) {
      const { schema, document } = args;
      let jit = decided.get(document);
      if (jit === undefined) decided.set(document, (jit = compilable(schema, document)));
      if (!jit || !variablesFit(schema, document, args.variableValues)) return;
      const query = compiledFor(schema, document, args.operationName ?? undefined);
      if (query === undefined) return;
      setExecuteFn(
        makeExecute((execution) => {
          const result = query.query(execution.rootValue, execution.contextValue, execution.variableValues);
          // Yoga serialises a result with its `stringify` when it has one: graphql-jit's, made
          // for this operation's shape. Its errors become graphql-js's, as graphql-js gives them.
          const finish = (value: Awaited<typeof result>) =>
            Object.assign(value, {
              stringify: query.stringify,
              ...(value.errors === undefined
                ? {}
                : { errors: value.errors.map((error) => withFieldNodes(error, document)) }),
            });
          return result instanceof Promise ? result.then(finish) : finish(result);
        }),
      );
    },
  };
}

/**
 * A field error of graphql-jit's as graphql-js makes it: with the field's nodes. graphql-jit's
 * errors carry their locations but not the nodes they come from, and Yoga rebuilds every error
 * from its nodes when it writes the answer, so without them a field error lost its `locations`
 * on the runs after a document was compiled.
 */
function withFieldNodes(error: GraphQLError, document: DocumentNode): GraphQLError {
  if (error.nodes !== undefined || error.path === undefined) return error;
  const nodes = fieldNodesAt(document, error.path);
  if (nodes.length === 0) return error;
  return new GraphQLError(error.message, {
    nodes,
    path: error.path,
    ...(error.originalError === undefined ? {} : { originalError: error.originalError }),
    ...(error.extensions === undefined ? {} : { extensions: error.extensions }),
  });
}

/** The field nodes of the document's operation that answer at a response path. */
function fieldNodesAt(document: DocumentNode, path: readonly (string | number)[]): FieldNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let selectionSets: SelectionSetNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) selectionSets.push(definition.selectionSet);
  }
  let fields: FieldNode[] = [];
  for (const key of path) {
    if (typeof key === 'number') continue;
    fields = selectionSets.flatMap((set) => fieldsNamed(set, key, fragments));
    selectionSets = fields.flatMap((field) => (field.selectionSet === undefined ? [] : [field.selectionSet]));
  }
  return fields;
}

function fieldsNamed(
  set: SelectionSetNode,
  responseKey: string,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): FieldNode[] {
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD)
      return (selection.alias ?? selection.name).value === responseKey ? [selection] : [];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsNamed(selection.selectionSet, responseKey, fragments);
    const fragment = fragments.get(selection.name.value);
    return fragment === undefined ? [] : fieldsNamed(fragment.selectionSet, responseKey, fragments);
  });
}

/**
 * Whether an argument is given as an inline literal of a scalar whose literal parser reads
 * variables (JSON and JSONObject take `{ a: $x }`).
 */
function hasLiteralReadingVariables(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node) {
        if ((node.kind !== Kind.ARGUMENT && node.kind !== Kind.OBJECT_FIELD) || node.value.kind === Kind.VARIABLE)
          return undefined;
        const type = typeInfo.getInputType();
        const named = type ? getNamedType(type) : undefined;
        if (named === undefined || !isScalarType(named) || named.parseLiteral.length < 2) return undefined;
        found = true;
        return BREAK;
      },
    }),
  );
  return found;
}

/** Whether graphql-js coerces the request's variables without an error. */
function variablesFit(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): boolean {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const definitions = operation?.variableDefinitions ?? [];
  return (
    definitions.length === 0 ||
    getVariableValues(schema, definitions, variables ?? {}, { maxErrors: 1 }).errors === undefined
  );
}

/** Input object types that contain themselves, directly or through other input types. */
function recursiveInputTypes(schema: GraphQLSchema): Set<string> {
  const inputs = Object.values(schema.getTypeMap()).filter(isInputObjectType);
  const children = (type: GraphQLInputObjectType) =>
    Object.values(type.getFields())
      .map((field) => getNamedType(field.type))
      .filter(isInputObjectType);
  const reaches = (from: GraphQLInputObjectType, target: string): boolean => {
    const seen = new Set<string>();
    const stack = children(from);
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (next.name === target) return true;
      if (seen.has(next.name)) continue;
      seen.add(next.name);
      stack.push(...children(next));
    }
    return false;
  };
  const result = new Set<string>();
  for (const type of inputs) if (reaches(type, type.name)) result.add(type.name);
  // A type that leads to a recursive one is unrolled just as deep.
  for (const type of inputs) if ([...result].some((name) => reaches(type, name))) result.add(type.name);
  return result;
}
