import { useGraphQlJit } from '@envelop/graphql-jit';
import {
  getNamedType,
  getOperationAST,
  getVariableValues,
  isInputObjectType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputObjectType,
  type GraphQLSchema,
} from 'graphql';

/** An envelop plugin, as graphql-jit's own (envelop is no direct dependency). */
type Plugin = ReturnType<typeof useGraphQlJit>;

/**
 * Each operation compiled once by graphql-jit (cached by its parsed document, which Yoga's
 * parser cache hands out again for the same text): execution without graphql-js's per-request
 * field collection and argument coercion. graphql-js still runs what graphql-jit cannot take:
 * - a document of several operations (the plugin caches by document, not by operation name);
 * - variables of recursive input types (QuentliCustomerFilter's AND/OR/NOT): graphql-jit
 *   0.8 unrolls them until the stack overflows, which takes seconds of CPU per new document.
 *
 * Variables are checked by graphql-js first: graphql-jit reports a bad value inside an input
 * variable against a variable name of its own making, without the path, and only the first bad
 * field. Clients get graphql-js's errors, every one of them, exactly as without compilation.
 */
export function useCompiledExecution(): Plugin[] {
  const recursive = new WeakMap<GraphQLSchema, ReadonlySet<string>>();
  const decided = new WeakMap<DocumentNode, boolean>();
  const compilable = (schema: GraphQLSchema, document: DocumentNode): boolean => {
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1) return false;
    let names = recursive.get(schema);
    if (names === undefined) recursive.set(schema, (names = recursiveInputTypes(schema)));
    const recursiveNames = names;
    return (operations[0]?.variableDefinitions ?? []).every((definition) => {
      const type = typeFromAST(schema, definition.type);
      return type === undefined || !recursiveNames.has(getNamedType(type).name);
    });
  };
  const compiled = (schema: GraphQLSchema, document: DocumentNode): boolean => {
    let jit = decided.get(document);
    if (jit === undefined) decided.set(document, (jit = compilable(schema, document)));
    return jit;
  };
  const checkVariables: Plugin = {
    onExecute: ({ args, setResultAndStopExecution }) => {
      if (!compiled(args.schema, args.document)) return;
      const definitions = getOperationAST(args.document, args.operationName)?.variableDefinitions;
      if (definitions === undefined || definitions.length === 0) return;
      // graphql-js's own check, with its own limit of 50 errors, as its execute() would run it.
      const coerced = getVariableValues(args.schema, definitions, args.variableValues ?? {}, { maxErrors: 50 });
      if (coerced.errors !== undefined) setResultAndStopExecution({ errors: coerced.errors });
    },
  };
  return [checkVariables, useGraphQlJit({}, { enableIf: ({ schema, document }) => compiled(schema, document) })];
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
