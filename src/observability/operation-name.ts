import { getOperationAST, type DocumentNode } from 'graphql';

const names = new WeakMap<object, string | undefined>();

/**
 * The executed operation's name (undefined for an anonymous one), looked up once per request:
 * the request log, the operation span and the outcome counter all ask for it, and each request
 * has its own context object to remember it by.
 */
export function operationNameOf(args: {
  contextValue: object;
  document: DocumentNode;
  operationName?: string | null | undefined;
}): string | undefined {
  if (names.has(args.contextValue)) return names.get(args.contextValue);
  const name = getOperationAST(args.document, args.operationName)?.name?.value;
  names.set(args.contextValue, name);
  return name;
}
