import { createGraphQLError } from 'graphql-yoga';
import { responsePathAsArray, type GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { publicMessage, type UpstreamError, type UpstreamSource } from '../upstream/errors.ts';
import { SOURCE_LABEL } from '../upstream/errors.ts';
import type { Unreadable } from '../upstream/lenient.ts';

/**
 * The GraphQL error a client sees for an upstream failure: contract code plus source. The one
 * place an UpstreamError becomes a GraphQL error, for a thrown one (error masking, with its
 * path), a partial page's (connection.ts) and a mutation's.
 */
export function upstreamGraphQLError(error: UpstreamError, path?: readonly (string | number)[]): GraphQLError {
  return createGraphQLError(publicMessage(error), {
    extensions: { code: error.code, source: error.source },
    ...(path === undefined ? {} : { path }),
  });
}

/**
 * The field error of a value the upstream sent but the gateway could not read: the field is
 * null, the rest of the record and its page are served.
 */
export function unreadableFieldError(source: UpstreamSource, field: string): GraphQLError {
  return createGraphQLError(`${SOURCE_LABEL[source]} sent a value for ${field} that the gateway cannot read`, {
    extensions: { code: 'UPSTREAM_BAD_RESPONSE', source },
  });
}

/**
 * The fields of record type R whose values are V (or null): a field helper typed with it does
 * not compile for a field of another type, as Pothos's `t.exposeString` and friends would not.
 */
export type FieldOf<R, V> = { [K in keyof R]-?: R[K] extends V | null ? K : never }[keyof R] & string;

/** `value`, unless the record says its `field` could not be read: then that field's error. */
export function readable<V>(record: { unreadable: Unreadable }, field: string, source: UpstreamSource, value: V): V {
  if (record.unreadable?.includes(field)) throw unreadableFieldError(source, field);
  return value;
}

/**
 * For a non-null list field (`metadata`, `tags`), where a thrown error would null the whole
 * record: an empty list, with the field error beside the data at this field's path.
 */
export function readableList<V>(
  record: { unreadable: Unreadable },
  field: string,
  source: UpstreamSource,
  value: V[] | null,
  context: { partialErrors: GraphQLError[] },
  info: GraphQLResolveInfo,
): V[] {
  if (record.unreadable === null || !record.unreadable.includes(field)) return value ?? [];
  const error = unreadableFieldError(source, field);
  context.partialErrors.push(
    createGraphQLError(error.message, { extensions: error.extensions, path: responsePathAsArray(info.path) }),
  );
  return [];
}
