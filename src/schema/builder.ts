import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin from '@pothos/plugin-relay';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLScalarType } from 'graphql';
import {
  DateTimeResolver,
  EmailAddressResolver,
  IPResolver,
  JSONObjectResolver,
  PhoneNumberResolver,
} from 'graphql-scalars';
import type { GatewayContext } from '../context.ts';
import { BadInputError } from '../errors.ts';
import { speedTrickOn } from '../speed-tricks.ts';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date | string };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    EmailAddress: { Input: string; Output: string };
    PhoneNumber: { Input: string; Output: string };
    IP: { Input: string; Output: string };
  };
}>({
  plugins: [ComplexityPlugin, RelayPlugin, ValidationPlugin],
  complexity: {
    defaultComplexity: 1,
    // Lists other than connections are short (tags, metadata); connections set their own.
    defaultListMultiplier: 5,
    // The limit is checked once per document and variables, before execution, by
    // useComplexityLimit (limits.ts): the plugin's own check would walk the query on every
    // request, at its first root field.
    disabled: true,
  },
  validation: {
    // Every rule broken, each named by its path from the field's argument, e.g. "input.name must
    // not be blank" with `field: ["input", "name"]` (the first one's), as userErrors name fields.
    validationError: (result) => {
      const broken = result.issues.map((issue) => ({
        path: (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)),
        message: issue.message,
      }));
      const message = broken.map(({ path, message }) => `${path.join('.')} ${message}`).join('; ');
      return new BadInputError(message || 'The arguments are invalid.', broken[0]?.path ?? []);
    },
  },
  relay: {
    cursorType: 'String',
    clientMutationId: 'optional',
    nodeTypeOptions: {
      description: 'An object with a globally unique, opaque `id` (Relay global object identification).',
    },
    pageInfoTypeOptions: { description: 'Where a page of a connection stands in the whole list.' },
    // node.ts defines `node` and `nodes`: they check each id before loading it.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    firstArgOptions: { description: 'Read at most this many items after `after` (0 to 100; default 20).' },
    lastArgOptions: { description: 'Read at most this many items before `before` (0 to 100).' },
    afterArgOptions: { description: 'A cursor of this connection: read the items after it.' },
    beforeArgOptions: { description: 'A cursor of this connection: read the items before it.' },
    idFieldOptions: { description: 'Global, opaque identifier of this object.' },
    cursorFieldOptions: { description: 'Opaque position of this edge, for `after` or `before`.' },
    nodeFieldOptions: { nullable: false, description: 'The item at this edge.' },
    // The connection field multiplies by first/last; the edges list adds nothing on top.
    edgesFieldOptions: {
      nullable: false,
      description: 'The items of this page with their cursors.',
      complexity: { field: 0, multiplier: 1 },
    },
    pageInfoFieldOptions: { description: 'Where this page stands in the whole list.' },
    hasNextPageFieldOptions: { description: 'Whether items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first edge; null on an empty page.' },
    endCursorFieldOptions: { description: 'Cursor of the last edge; null on an empty page.' },
    clientMutationIdInputOptions: { description: 'Relay: echoed back unchanged in the payload.' },
    clientMutationIdFieldOptions: { description: 'The `clientMutationId` of the input, unchanged.' },
  },
});

/**
 * graphql-scalars' DateTime, except that a string already in the form it would write
 * (`2025-01-15T10:30:00.000Z`) goes out as it is: upstream instants are validated at the edge
 * and arrive in that form, and re-validating and re-parsing two of them per record costs more
 * than the rest of the record's fields.
 */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DateTime = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize: (value) =>
    typeof value === 'string' && CANONICAL_INSTANT.test(value) ? value : DateTimeResolver.serialize(value),
});

builder.addScalarType('DateTime', speedTrickOn('date-time-pass-through') ? DateTime : DateTimeResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType('PhoneNumber', PhoneNumberResolver);
builder.addScalarType('IP', IPResolver);

builder.queryType({ description: 'Customers of Quentli and NXLink, one graph.' });
builder.mutationType({ description: 'Writes, mapped onto Quentli.' });
