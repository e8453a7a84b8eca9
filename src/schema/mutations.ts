import type { ObjectFieldBuilder, SchemaTypes } from '@pothos/core';
import { responsePathAsArray, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { z } from 'zod';
import { BadInputError } from '../errors.ts';
import { e164 } from '../phone.ts';
import type { GatewayContext } from '../context.ts';
import { publicMessage, UpstreamError } from '../upstream/errors.ts';
import {
  QUENTLI_CREATE_FIELDS,
  QUENTLI_UPDATE_FIELDS,
  type QuentliCreateInput,
  type QuentliCustomerRecord,
  type QuentliUpdateData,
  type QuentliUpdateField,
} from '../upstream/quentli/records.ts';
import { builder } from './builder.ts';
import { decodeNodeId } from './node.ts';
import { upstreamGraphQLError } from './errors.ts';
import { QuentliCustomerRef } from './quentli-customer.ts';

interface UserErrorShape {
  field: string[] | null;
  message: string;
  code: string;
}

const UserErrorRef = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'Why a mutation wrote nothing, in terms the user can act on.',
  fields: (t) => ({
    field: t.exposeStringList('field', {
      nullable: true,
      description: 'Path of the input field at fault (e.g. ["input", "email"]); null when no single field is.',
    }),
    message: t.exposeString('message', { nullable: false, description: 'What went wrong, safe to show to the user.' }),
    code: t.exposeString('code', {
      nullable: false,
      description: 'Machine-readable reason: CONFLICT, VALIDATION_ERROR, NOT_FOUND or BAD_REQUEST.',
    }),
  }),
});

const MetadataEntryInputRef = builder.inputType('MetadataEntryInput', {
  description: 'A custom key-value pair for a Quentli customer.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'The key, unique within the customer.' }),
    value: t.string({ required: true, description: 'The value.' }),
  }),
});

const nonBlankName = z.string().trim().min(1, 'must not be blank');
const username = z
  .string()
  .regex(/^[A-Za-z0-9._-]{3,64}$/, 'must be 3 to 64 letters, digits, dots, dashes or underscores');
const uniqueKeys = z
  .array(z.object({ key: z.string(), value: z.string() }))
  .refine((entries) => new Set(entries.map((entry) => entry.key)).size === entries.length, 'keys must be unique');

type InputFieldBuilder = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

/** The fields create and update share, as Quentli's pages name them. */
function customerFields(t: InputFieldBuilder) {
  return {
    username: t.string({ description: 'Username used for customer login and identification.', validate: username }),
    email: t.field({ type: 'EmailAddress', description: 'Email address.' }),
    phoneNumber: t.field({ type: 'PhoneNumber', description: 'Primary WhatsApp phone number, E.164.', validate: e164 }),
    secondaryPhoneNumber: t.field({
      type: 'PhoneNumber',
      description: 'Secondary phone for reminders and announcements, E.164.',
      validate: e164,
    }),
    acceptedServiceAgreement: t.boolean({ description: 'Whether the customer accepted the service agreement.' }),
    skipTaxInvoice: t.boolean({ description: 'Whether tax invoice generation is skipped.' }),
    assigneeId: t.string({ description: 'Quentli id of the user assigned to the customer.' }),
    optedOutWhatsappAt: t.field({
      type: 'DateTime',
      description: 'When the customer opted out of WhatsApp reminders.',
    }),
    metadata: t.field({
      type: [MetadataEntryInputRef],
      description: 'Custom key-value entries; keys must be unique.',
      validate: uniqueKeys,
    }),
    tags: t.stringList({ description: 'Tags (accepted by Quentli on write; not part of the customer record).' }),
  };
}

const UpdateCustomerDataRef = builder.inputType('UpdateCustomerData', {
  description: 'The fields to change. An omitted field is left alone; an explicit null clears it where Quentli allows.',
  fields: (t) => ({
    name: t.string({ description: 'Name of the customer; cannot be cleared.', validate: nonBlankName }),
    ...customerFields(t),
    password: t.string({ description: 'New password; requires `otp`.' }),
    tosIp: t.field({ type: 'IP', description: 'IP address the terms of service were accepted from.' }),
    signature: t.string({ description: 'Signature accepting recurring charges terms.' }),
    hasChangedPassword: t.boolean({ description: 'Whether the customer has set a non-default password.' }),
    phoneNumberVerified: t.boolean({ description: 'Whether the phone number is verified.' }),
    emailVerified: t.boolean({ description: 'Whether the email address is verified.' }),
    replyWithAssistant: t.boolean({ description: 'Whether to reply to this customer using the assistant.' }),
    meta: t.field({ type: 'JSONObject', description: 'Flattened metadata map of string values.' }),
  }),
});

/** The update's fields as Pothos types them from the input type above (nothing hand-written). */
type UpdateData = typeof UpdateCustomerDataRef.$inferInput;
/** Compiles only when the GraphQL update fields are exactly Quentli's (records.ts). */
type SameFields<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
const updateFieldsMatch: SameFields<UpdateData, Record<QuentliUpdateField, unknown>> = true;
void updateFieldsMatch;

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : SchemaTypes;

const payloadFields = (t: ObjectFieldBuilder<BuilderTypes, MutationResult>) => ({
  customer: t.field({
    type: QuentliCustomerRef,
    nullable: true,
    description: 'The customer as Quentli stored it; null when nothing was written.',
    resolve: (payload) => payload.customer,
  }),
  userErrors: t.field({
    type: [UserErrorRef],
    nullable: false,
    description: 'Why nothing was written; empty on success.',
    resolve: (payload) => payload.userErrors,
  }),
});

interface MutationResult {
  customer: QuentliCustomerRecord | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'createCustomer',
  {
    description: "Input of createCustomer: Quentli's create payload.",
    inputFields: (t) => ({
      name: t.string({ required: true, description: 'Name of the customer.', validate: nonBlankName }),
      ...customerFields(t),
    }),
  },
  {
    nullable: false,
    description: 'Creates a Quentli customer. Sent to Quentli exactly once: never retried by the gateway.',
    resolve: async (_root, { input }, context, info) =>
      write(context, info, 'create', () =>
        context.upstreams.quentli.createCustomer(
          toQuentliFields<QuentliCreateInput>(input, QUENTLI_CREATE_FIELDS),
          context.call,
        ),
      ),
  },
  {
    description: 'Result of createCustomer.',
    outputFields: payloadFields,
  },
);

builder.relayMutationField(
  'updateCustomer',
  {
    description: 'Input of updateCustomer: which Quentli customer, and what to change.',
    inputFields: (t) => ({
      id: t.id({ required: true, description: 'Global id of the QuentliCustomer to update.' }),
      data: t.field({ type: UpdateCustomerDataRef, required: true, description: 'The fields to change.' }),
      otp: t.string({ description: 'One-time password; required when `data.password` is set.' }),
    }),
  },
  {
    nullable: false,
    description: 'Updates a Quentli customer: only the fields set in `data` change.',
    resolve: async (_root, { input }, context, info) => {
      const id = quentliIdOf(input.id, info.schema);
      const data: UpdateData = input.data;
      if (data.password != null && (input.otp == null || input.otp === '')) {
        throw new BadInputError(
          'input.data.password requires input.otp: Quentli changes a password only with a one-time password.',
          ['input', 'otp'],
        );
      }
      if ('name' in data && data.name === null) {
        throw new BadInputError('input.data.name cannot be cleared: a Quentli customer always has a name.', [
          'input',
          'data',
          'name',
        ]);
      }
      const update = {
        data: toQuentliFields<QuentliUpdateData>(data, QUENTLI_UPDATE_FIELDS),
        ...(input.otp == null ? {} : { otp: input.otp }),
      };
      return write(context, info, 'update', () => context.upstreams.quentli.updateCustomer(id, update, context.call));
    },
  },
  {
    description: 'Result of updateCustomer.',
    outputFields: payloadFields,
  },
);

/** The Quentli id inside a QuentliCustomer global id; any other id is the client's mistake. */
function quentliIdOf(globalId: string, schema: GraphQLSchema): string {
  const { typename, id } = decodeNodeId(globalId, schema, ['input', 'id']);
  if (typename !== 'QuentliCustomer') {
    throw new BadInputError(`input.id is the id of a ${typename}: only QuentliCustomer records can be updated.`, [
      'input',
      'id',
    ]);
  }
  return id;
}

/**
 * Quentli's payload from the GraphQL input: only Quentli's write fields (never a gateway-only
 * one such as clientMutationId: Quentli refuses unknown fields) that the client set (an
 * explicit null stays null, to clear), dates as ISO text.
 */
function toQuentliFields<Fields>(input: object, names: readonly (keyof Fields & string)[]): Fields {
  const given = input as Partial<Record<string, unknown>>;
  const fields: Partial<Record<string, unknown>> = {};
  for (const name of names) {
    const value = given[name];
    if (value !== undefined) fields[name] = value instanceof Date ? value.toISOString() : value;
  }
  return fields as Fields;
}

/**
 * One write to Quentli. Its refusals (conflict, validation, not found) become userErrors; an
 * outage a GraphQL error; a timeout or a connection broken mid-call an unknown outcome, since
 * Quentli may have written. A write Quentli confirmed (2xx) is never reported as failed: the
 * customer's unreadable fields are field errors, and an answer without a readable customer at
 * all leaves `customer` null with an error that says the write was done.
 */
async function write(
  context: GatewayContext,
  info: GraphQLResolveInfo,
  kind: 'create' | 'update',
  send: () => Promise<QuentliCustomerRecord>,
): Promise<MutationResult> {
  try {
    const customer = await send();
    await context.loaders.quentli.written(customer);
    context.loaders.people.clearAll();
    return { customer, userErrors: [] };
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    if (error.code === 'UPSTREAM_REJECTED') return { customer: null, userErrors: toUserErrors(error) };
    if (
      error.code === 'UPSTREAM_BAD_RESPONSE' &&
      error.status !== undefined &&
      error.status >= 200 &&
      error.status <= 299
    ) {
      // Which customer changed is unknown: no list or phone answer of this request is trusted.
      context.loaders.quentli.list.clearAll();
      context.loaders.people.clearAll();
      context.partialErrors.push(
        createGraphQLError(
          `Quentli confirmed the ${kind} (HTTP ${error.status}) but its answer could not be read: the customer was written. Look it up rather than sending the ${kind} again.`,
          {
            extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: error.source },
            path: [...responsePathAsArray(info.path), 'customer'],
          },
        ),
      );
      return { customer: null, userErrors: [] };
    }
    if (error.code === 'UPSTREAM_TIMEOUT' || error.maybeDelivered) {
      const what = error.code === 'UPSTREAM_TIMEOUT' ? 'did not confirm the' : 'dropped the connection during the';
      throw createGraphQLError(
        `Quentli ${what} ${kind}: it may or may not have been written. Look the customer up before trying again.`,
        { extensions: { code: 'UPSTREAM_OUTCOME_UNKNOWN', source: error.source } },
      );
    }
    throw upstreamGraphQLError(error);
  }
}

const USER_ERROR_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  422: 'VALIDATION_ERROR',
};

function toUserErrors(error: UpstreamError): UserErrorShape[] {
  const code = error.upstreamCode ?? USER_ERROR_CODES[error.status ?? 0] ?? 'REJECTED';
  if (error.details.length === 0) {
    return [{ field: error.status === 404 ? ['input', 'id'] : null, message: publicMessage(error), code }];
  }
  // Quentli's detail paths start at its body's `input`, which is the mutation's `input` too.
  return error.details.map((detail) => ({
    field: detail.path.length > 0 ? detail.path : null,
    message: detail.message,
    code,
  }));
}
