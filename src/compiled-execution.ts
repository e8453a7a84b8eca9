import { useGraphQlJit } from '@envelop/graphql-jit';
import {
  getNamedType,
  getVariableValues,
  isInputObjectType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputObjectType,
  type GraphQLSchema,
} from 'graphql';
import { asksForIncrementalDelivery } from './plugins/defer-stream.ts';

type Plugin = ReturnType<typeof useGraphQlJit>;

/**
 * Each operation compiled once by graphql-jit (cached by its parsed document, which Yoga's
 * parser cache hands out again for the same text): execution without graphql-js's per-request
 * field collection and argument coercion. graphql-js still runs what graphql-jit cannot take:
 * - a document of several operations (the plugin caches by document, not by operation name);
 * - variables of recursive input types (QuentliCustomerFilter's AND/OR/NOT): graphql-jit
 *   0.8 unrolls them until the stack overflows, which takes seconds of CPU per new document;
 * - variables that do not fit their types: graphql-jit's own coercion names the wrong variable
 *   for a field of an input object (`$email` for `$in.email`) and gives no path to it, so the
 *   variables are coerced by graphql-js first (microseconds, for the few variables of a
 *   request) and a request whose variables fail runs on graphql-js, which reports every bad
 *   field with its path.
 */
export function useCompiledExecution(): Plugin {
  const recursive = new WeakMap<GraphQLSchema, ReadonlySet<string>>();
  const decided = new WeakMap<DocumentNode, boolean>();
  const compilable = (schema: GraphQLSchema, document: DocumentNode): boolean => {
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1 || asksForIncrementalDelivery(document)) return false;
    let names = recursive.get(schema);
    if (names === undefined) recursive.set(schema, (names = recursiveInputTypes(schema)));
    const recursiveNames = names;
    return (operations[0]?.variableDefinitions ?? []).every((definition) => {
      const type = typeFromAST(schema, definition.type);
      return type === undefined || !recursiveNames.has(getNamedType(type).name);
    });
  };
  return useGraphQlJit(
    {},
    {
      enableIf: ({ schema, document, variableValues }) => {
        let jit = decided.get(document);
        if (jit === undefined) decided.set(document, (jit = compilable(schema, document)));
        return jit && variablesFit(schema, document, variableValues);
      },
    },
  );
}

/** Whether graphql-js coerces the request's variables without an error. */
function variablesFit(schema: GraphQLSchema, document: DocumentNode, variables: Readonly<Record<string, unknown>> | null | undefined): boolean {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const definitions = operation?.variableDefinitions ?? [];
  return definitions.length === 0 || getVariableValues(schema, definitions, variables ?? {}, { maxErrors: 1 }).errors === undefined;
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
