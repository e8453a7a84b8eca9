import { BadInputError } from '../errors.ts';
import { pageQuentli } from '../paging/quentli-window.ts';
import { longestList } from '../upstream/quentli/filter.ts';
import { toPageRequest } from '../paging/page-request.ts';
import type {
  QuentliCustomerFilter,
  QuentliCustomerRecord,
  QuentliFieldOperators,
  QuentliMetadataEntry,
  QuentliOrderBy,
} from '../upstream/quentli/records.ts';
import { isQuentliId } from '../upstream/ids.ts';
import { builder } from './builder.ts';
import { connectionComplexity, connectionFields, resolveSourcePage } from './connection.ts';
import { CustomerRef, isQuentliRecord } from './customer.ts';
import { readable, readableList, type FieldOf } from './errors.ts';

export const QuentliCustomerRef = builder.objectRef<QuentliCustomerRecord>('QuentliCustomer');

const MetadataEntryRef = builder.objectRef<QuentliMetadataEntry>('MetadataEntry').implement({
  description: 'A custom key-value pair attached to a Quentli customer.',
  fields: (t) => ({
    key: t.exposeString('key', { nullable: false, description: 'The key, unique within the customer.' }),
    value: t.exposeString('value', { nullable: true, description: 'The value; null when Quentli holds none.' }),
  }),
});

builder.node(QuentliCustomerRef, {
  description: 'A customer of Quentli (billing and collections), with every field of its record.',
  interfaces: [CustomerRef],
  isTypeOf: isQuentliRecord,
  id: {
    resolve: (record) => record.id,
    parse: (id) => {
      if (!isQuentliId(id))
        throw new Error('a QuentliCustomer id holds a Quentli cuid (lowercase letters and digits).');
      return id;
    },
  },
  loadMany: (ids, context) => ids.map((id) => context.loaders.quentli.byId.load(id)),
  fields: (t) => {
    // A field whose value Quentli sent but the gateway could not read is null with a field
    // error (UPSTREAM_BAD_RESPONSE); the rest of the record is served.
    // Each helper takes only fields of its type (FieldOf): a wrong one does not compile.
    type Field<V> = FieldOf<QuentliCustomerRecord, V>;
    const text = (field: Field<string>, description: string) =>
      t.string({ nullable: true, description, resolve: (record) => readable(record, field, 'QUENTLI', record[field]) });
    const flag = (field: Field<boolean>, description: string) =>
      t.boolean({
        nullable: true,
        description,
        resolve: (record) => readable(record, field, 'QUENTLI', record[field]),
      });
    const instant = (field: Field<string>, description: string) =>
      t.field({
        type: 'DateTime',
        nullable: true,
        description,
        resolve: (record) => readable(record, field, 'QUENTLI', record[field]),
      });
    return {
      username: text('username', 'Username used for customer login and customer identification.'),
      organizationId: text('organizationId', 'Identifier of the organization this customer belongs to.'),
      acceptedServiceAgreement: flag(
        'acceptedServiceAgreement',
        'Whether the customer has accepted the service agreement.',
      ),
      skipTaxInvoice: flag('skipTaxInvoice', 'Whether tax invoice generation is skipped for this customer.'),
      emailVerified: flag('emailVerified', 'Whether the customer has verified their email address.'),
      phoneNumberVerified: flag('phoneNumberVerified', 'Whether the customer has verified their phone number.'),
      hasChangedPassword: flag('hasChangedPassword', 'Whether the customer has set a non-default password.'),
      secondaryPhoneNumber: text(
        'secondaryPhoneNumber',
        'Secondary phone number used for reminders and announcements.',
      ),
      archivedAt: instant('archivedAt', 'When the customer was archived.'),
      archivedById: text('archivedById', 'Identifier of the user who archived this customer.'),
      signatureAcceptedAt: instant('signatureAcceptedAt', 'When recurring charges terms were accepted via signature.'),
      optedOutWhatsappAt: instant('optedOutWhatsappAt', 'When the customer opted out of WhatsApp reminders.'),
      optedInWhatsappAt: instant('optedInWhatsappAt', 'When the customer opted in to WhatsApp reminders.'),
      startedWhatsappAt: instant('startedWhatsappAt', 'When the WhatsApp opt-in flow was started for this customer.'),
      replyWithAssistant: flag('replyWithAssistant', 'Whether to reply to this customer using the assistant.'),
      metadata: t.field({
        type: [MetadataEntryRef],
        nullable: false,
        description: 'Custom metadata entries attached to this customer as key-value pairs.',
        resolve: (record, _args, context, info) =>
          readableList(record, 'metadata', 'QUENTLI', record.metadata, context, info),
      }),
      meta: t.field({
        type: 'JSONObject',
        nullable: true,
        description: 'Flattened metadata map where each key maps to a string value.',
        resolve: (record) => readable(record, 'meta', 'QUENTLI', record.meta),
      }),
    };
  },
});

const QueryModeEnum = builder.enumType('QuentliQueryMode', {
  description: 'How Quentli compares text.',
  values: {
    DEFAULT: { value: 'default', description: 'Case-sensitive.' },
    INSENSITIVE: { value: 'insensitive', description: 'Case-insensitive.' },
  } as const,
});

interface StringFilterInput {
  equals?: string | null;
  in?: string[] | null;
  notIn?: string[] | null;
  contains?: string | null;
  startsWith?: string | null;
  endsWith?: string | null;
  lt?: string | null;
  lte?: string | null;
  gt?: string | null;
  gte?: string | null;
  not?: StringFilterInput | null;
  mode?: 'default' | 'insensitive' | null;
}

interface DateTimeFilterInput {
  equals?: Date | null;
  in?: Date[] | null;
  notIn?: Date[] | null;
  lt?: Date | null;
  lte?: Date | null;
  gt?: Date | null;
  gte?: Date | null;
  not?: DateTimeFilterInput | null;
}

const StringFilterRef = builder.inputRef<StringFilterInput>('QuentliStringFilter').implement({
  description: 'Conditions on a text field of Quentli customers (Prisma-style operators, AND-ed).',
  fields: (t) => ({
    equals: t.string({ description: 'Equal to.' }),
    in: t.stringList({ description: 'Equal to one of these (at most 20, or QUENTLI_MAX_LIST_ITEMS).' }),
    notIn: t.stringList({ description: 'Equal to none of these (at most 20, or QUENTLI_MAX_LIST_ITEMS).' }),
    contains: t.string({ description: 'Contains this text.' }),
    startsWith: t.string({ description: 'Starts with this text.' }),
    endsWith: t.string({ description: 'Ends with this text.' }),
    lt: t.string({ description: 'Sorts before this text.' }),
    lte: t.string({ description: 'Sorts before or equal to this text.' }),
    gt: t.string({ description: 'Sorts after this text.' }),
    gte: t.string({ description: 'Sorts after or equal to this text.' }),
    not: t.field({ type: StringFilterRef, description: 'None of these conditions.' }),
    mode: t.field({
      type: QueryModeEnum,
      description: 'Case sensitivity of equals, contains, startsWith and endsWith.',
    }),
  }),
});

const DateTimeFilterRef = builder.inputRef<DateTimeFilterInput>('QuentliDateTimeFilter').implement({
  description: 'Conditions on a date-time field of Quentli customers (AND-ed).',
  fields: (t) => ({
    equals: t.field({ type: 'DateTime', description: 'At this instant.' }),
    in: t.field({
      type: ['DateTime'],
      description: 'At one of these instants (at most 20, or QUENTLI_MAX_LIST_ITEMS).',
    }),
    notIn: t.field({
      type: ['DateTime'],
      description: 'At none of these instants (at most 20, or QUENTLI_MAX_LIST_ITEMS).',
    }),
    lt: t.field({ type: 'DateTime', description: 'Before this instant.' }),
    lte: t.field({ type: 'DateTime', description: 'At or before this instant.' }),
    gt: t.field({ type: 'DateTime', description: 'After this instant.' }),
    gte: t.field({ type: 'DateTime', description: 'At or after this instant.' }),
    not: t.field({ type: DateTimeFilterRef, description: 'None of these conditions.' }),
  }),
});

interface CustomerFilterInput {
  id?: StringFilterInput | null;
  name?: StringFilterInput | null;
  username?: StringFilterInput | null;
  email?: StringFilterInput | null;
  phoneNumber?: StringFilterInput | null;
  organizationId?: StringFilterInput | null;
  createdAt?: DateTimeFilterInput | null;
  updatedAt?: DateTimeFilterInput | null;
  archivedAt?: DateTimeFilterInput | null;
  noPayments?: boolean | null;
  archived?: boolean | null;
  AND?: CustomerFilterInput[] | null;
  OR?: CustomerFilterInput[] | null;
  NOT?: CustomerFilterInput[] | null;
}

const CustomerFilterRef = builder.inputRef<CustomerFilterInput>('QuentliCustomerFilter').implement({
  description: "Quentli's customer list filter, passed to Quentli as its Prisma-style `filter`.",
  fields: (t) => ({
    id: t.field({ type: StringFilterRef, description: 'Conditions on the Quentli id.' }),
    name: t.field({ type: StringFilterRef, description: 'Conditions on the name.' }),
    username: t.field({ type: StringFilterRef, description: 'Conditions on the username.' }),
    email: t.field({ type: StringFilterRef, description: 'Conditions on the email address.' }),
    phoneNumber: t.field({ type: StringFilterRef, description: 'Conditions on the primary phone number (E.164).' }),
    organizationId: t.field({ type: StringFilterRef, description: 'Conditions on the organization id.' }),
    createdAt: t.field({ type: DateTimeFilterRef, description: 'Conditions on the creation time.' }),
    updatedAt: t.field({ type: DateTimeFilterRef, description: 'Conditions on the last update time.' }),
    archivedAt: t.field({ type: DateTimeFilterRef, description: 'Conditions on the archive time.' }),
    noPayments: t.boolean({ description: 'Only customers with (true) or without (false) no payments.' }),
    archived: t.boolean({ description: 'Only archived (true) or only active (false) customers.' }),
    AND: t.field({ type: [CustomerFilterRef], description: 'All of these filters.' }),
    OR: t.field({ type: [CustomerFilterRef], description: 'At least one of these filters.' }),
    NOT: t.field({ type: [CustomerFilterRef], description: 'None of these filters.' }),
  }),
});

const SortDirectionEnum = builder.enumType('SortDirection', {
  description: 'Direction of a sort key.',
  values: {
    ASC: { value: 'asc', description: 'Smallest first.' },
    DESC: { value: 'desc', description: 'Largest first.' },
  } as const,
});

const OrderByRef = builder.inputType('QuentliCustomerOrderBy', {
  description:
    'One sort key: set exactly one field. Keys apply in list order; `id` is added last when missing, so the order is total. Quentli is sent the first key only (its documented form) and the gateway orders ties by the next keys itself, unless QUENTLI_TIE_BREAK_SORT says Quentli takes them all.',
  fields: (t) => ({
    createdAt: t.field({ type: SortDirectionEnum, description: 'Sort by creation time.' }),
    updatedAt: t.field({ type: SortDirectionEnum, description: 'Sort by last update time.' }),
    name: t.field({
      type: SortDirectionEnum,
      description: 'Sort by name (pages by offset: rows inserted meanwhile may shift pages).',
    }),
    id: t.field({ type: SortDirectionEnum, description: 'Sort by Quentli id.' }),
  }),
});

type Operators = Record<string, unknown>;

function toOperators(input: StringFilterInput | DateTimeFilterInput): QuentliFieldOperators {
  const operators: Operators = {};
  for (const [operator, value] of Object.entries(input)) {
    if (value === null || value === undefined) continue;
    operators[operator] =
      operator === 'not'
        ? toOperators(value as StringFilterInput)
        : Array.isArray(value)
          ? value.map(toUpstreamValue)
          : toUpstreamValue(value);
  }
  return operators as QuentliFieldOperators;
}

function toUpstreamValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** The GraphQL filter in Quentli's shape: dates as ISO text, explicit nulls dropped. */
export function toQuentliFilter(input: CustomerFilterInput | null | undefined): QuentliCustomerFilter | undefined {
  if (input === null || input === undefined) return undefined;
  const filter: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    if (value === null || value === undefined) continue;
    if (field === 'AND' || field === 'OR' || field === 'NOT') {
      filter[field] = (value as CustomerFilterInput[]).map((nested) => toQuentliFilter(nested) ?? {});
    } else if (typeof value === 'boolean') {
      filter[field] = value;
    } else {
      filter[field] = toOperators(value as StringFilterInput);
    }
  }
  return filter as QuentliCustomerFilter;
}

builder.queryField('quentliCustomers', (t) =>
  t.connection(
    {
      type: QuentliCustomerRef,
      nullable: false,
      complexity: connectionComplexity,
      description:
        'Quentli customers, newest first unless `orderBy` says otherwise. Forward and backward paging; cursors hold a keyset position (an offset when ordering by name).',
      args: {
        filter: t.arg({ type: CustomerFilterRef, description: "Quentli's list filter." }),
        orderBy: t.arg({
          type: [OrderByRef],
          description: 'Sort keys, most significant first. Default: createdAt descending, then id descending.',
        }),
      },
      resolve: (_root, args, context) => {
        const request = toPageRequest(args);
        const orderBy = args.orderBy?.map(
          (entry) => Object.fromEntries(Object.entries(entry).filter(([, v]) => v != null)) as QuentliOrderBy,
        );
        const filter = toQuentliFilter(args.filter);
        const { encoding } = context.upstreams.quentli;
        const longest = longestList(filter);
        if (longest > encoding.maxListItems) {
          throw new BadInputError(
            `filter holds a list of ${longest} items; Quentli reads at most ${encoding.maxListItems} per list (QUENTLI_MAX_LIST_ITEMS).`,
            ['filter'],
          );
        }
        return resolveSourcePage(context, () =>
          pageQuentli({
            request,
            filter,
            orderBy,
            fetch: (params) => context.loaders.quentli.list.load(params),
            sendAllKeys: encoding.tieBreakSortKey,
          }),
        );
      },
    },
    { name: 'QuentliCustomerConnection', ...connectionFields, description: 'A page of Quentli customers.' },
    { name: 'QuentliCustomerEdge', description: 'A Quentli customer and its cursor.' },
  ),
);
