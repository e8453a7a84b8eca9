import { decodeGlobalID, resolveNodes } from '@pothos/plugin-relay';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { BadInputError } from '../errors.ts';
import { builder } from './builder.ts';

/** At most this many ids in one `nodes` call: each may cost an upstream look-up. */
export const MAX_NODE_IDS = 100;

export interface NodeId {
  typename: string;
  /** The upstream's own id, checked for the shape of that upstream's ids. */
  id: string;
}

/**
 * The Node type and upstream id a global id names. Every Node type declares the shape of its
 * ids as Pothos's `id.parse` (kept on the GraphQL type as `pothosParseGlobalID`), which throws
 * for an id its upstream could not have issued; so a well-formed global id of a type this
 * gateway does not have, or of the wrong shape, fails here, before any upstream call.
 * `argument` names the input for the message and the error's `field`, e.g. ['ids', '2'].
 */
export function decodeNodeId(globalId: string, schema: GraphQLSchema, argument: string[]): NodeId {
  const fail = (why: string) =>
    new BadInputError(`${argument.join('.')} is not a global id of this gateway: ${why}`, argument);
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw fail('pass the `id` of an object exactly as the gateway returned it.');
  }
  const type = schema.getType(decoded.typename);
  const parse: unknown =
    isObjectType(type) && type.getInterfaces().some((implemented) => implemented.name === 'Node')
      ? type.extensions.pothosParseGlobalID
      : undefined;
  if (typeof parse !== 'function') throw fail('it names no type of object of this gateway.');
  try {
    return { typename: decoded.typename, id: String(parse(decoded.id)) };
  } catch (error) {
    throw fail(error instanceof Error ? error.message : `it is not the id of a ${decoded.typename}.`);
  }
}

/**
 * Relay's refetch fields. Any id that names no existing object answers null, and one bad id
 * never costs the others their answers: an id that is not a well-formed id of this gateway (a
 * typo, an id of another system) also adds a BAD_USER_INPUT error at its own path; a well-formed
 * one of an object that no longer exists is null alone, as an id from an old cache would be.
 */
builder.queryField('node', (t) =>
  t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description:
      'Fetches any object by its global `id`; null when it does not exist. An id that is not a global id of this gateway is null too, with a BAD_USER_INPUT error.',
    args: { id: t.arg.id({ required: true, description: 'A global `id`, as the gateway returned it.' }) },
    resolve: async (_root, args, context, info) => {
      const [node] = await resolveNodes(builder, context, info, [decodeNodeId(args.id, info.schema, ['id'])]);
      return node ?? null;
    },
  }),
);

builder.queryField('nodes', (t) =>
  t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: `Fetches objects by their global ids, in the order given (at most ${MAX_NODE_IDS}); null at each position \`node\` would answer null, with the same BAD_USER_INPUT error at that position for an id that is not a global id of this gateway.`,
    args: { ids: t.arg.idList({ required: true, description: `Global ids, at most ${MAX_NODE_IDS}.` }) },
    // Each id may cost an upstream look-up, and each answer the cost of its selection.
    complexity: (args) => {
      const ids = Math.min(args.ids.length, MAX_NODE_IDS);
      return { field: ids, multiplier: ids };
    },
    resolve: async (_root, args, context, info) => {
      if (args.ids.length > MAX_NODE_IDS) {
        throw new BadInputError(
          `ids holds ${args.ids.length} ids; nodes accepts at most ${MAX_NODE_IDS}: ask for the rest in another call.`,
          ['ids'],
        );
      }
      const decoded = args.ids.map((id, index) => {
        try {
          return decodeNodeId(String(id), info.schema, ['ids', String(index)]);
        } catch (error) {
          return error as BadInputError;
        }
      });
      const valid = decoded.filter((entry): entry is NodeId => !(entry instanceof Error));
      const found = await resolveNodes(builder, context, info, valid);
      let next = 0;
      // graphql-js reports an Error in a list at that item's path and answers null there.
      return decoded.map((entry) => (entry instanceof Error ? entry : (found[next++] ?? null)));
    },
  }),
);
