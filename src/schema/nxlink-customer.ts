import { pageNxlink, type NxlinkFilter } from '../paging/nxlink-window.ts';
import { toPageRequest } from '../paging/page-request.ts';
import { toNxlinkPhone } from '../phone.ts';
import type { NxlinkCustomerRecord, NxlinkTagRecord } from '../upstream/nxlink/records.ts';
import { isNxlinkId } from '../upstream/ids.ts';
import { builder } from './builder.ts';
import { connectionComplexity, connectionFields, resolveSourcePage } from './connection.ts';
import { CustomerRef, isNxlinkRecord } from './customer.ts';
import { readable, readableList, type FieldOf } from './errors.ts';

export const NxlinkCustomerRef = builder.objectRef<NxlinkCustomerRecord>('NxlinkCustomer');

const NxlinkTagRef = builder.objectRef<NxlinkTagRecord>('NxlinkTag').implement({
  description: 'A tag attached to an NXLink customer.',
  fields: (t) => ({
    tagId: t.exposeString('tagId', {
      nullable: false,
      description: "NXLink's tag id (a 64-bit integer, as decimal digits).",
    }),
    tagName: t.string({
      nullable: true,
      description: 'Name of the tag.',
      resolve: (tag) => readable(tag, 'tagName', 'NXLINK', tag.tagName),
    }),
    groupId: t.string({
      nullable: true,
      description: 'Id of the tag group.',
      resolve: (tag) => readable(tag, 'groupId', 'NXLINK', tag.groupId),
    }),
    groupName: t.string({
      nullable: true,
      description: 'Name of the tag group.',
      resolve: (tag) => readable(tag, 'groupName', 'NXLINK', tag.groupName),
    }),
    note: t.string({
      nullable: true,
      description: 'Note on the tag.',
      resolve: (tag) => readable(tag, 'note', 'NXLINK', tag.note),
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the tag was created.',
      resolve: (tag) => readable(tag, 'createdAt', 'NXLINK', tag.createdAt),
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the tag was last updated.',
      resolve: (tag) => readable(tag, 'updatedAt', 'NXLINK', tag.updatedAt),
    }),
  }),
});

builder.node(NxlinkCustomerRef, {
  description:
    'A customer of NXLink (customer data platform for WhatsApp and other channels), with every field of its record.',
  interfaces: [CustomerRef],
  isTypeOf: isNxlinkRecord,
  id: {
    resolve: (record) => record.id,
    parse: (id) => {
      if (!isNxlinkId(id)) throw new Error('an NxlinkCustomer id holds an NXLink id (a positive 64-bit integer).');
      return id;
    },
  },
  loadMany: (ids, context) => ids.map((id) => context.loaders.nxlink.byId.load(id)),
  fields: (t) => {
    // A field whose value NXLink sent but the gateway could not read is null with a field
    // error (UPSTREAM_BAD_RESPONSE); the rest of the record is served.
    // Each helper takes only fields of its type (FieldOf): a wrong one does not compile.
    type Field<V> = FieldOf<NxlinkCustomerRecord, V>;
    const text = (field: Field<string>, description: string) =>
      t.string({ nullable: true, description, resolve: (record) => readable(record, field, 'NXLINK', record[field]) });
    const integer = (field: Field<number>, description: string) =>
      t.int({ nullable: true, description, resolve: (record) => readable(record, field, 'NXLINK', record[field]) });
    return {
      firstName: text('firstName', 'First name.'),
      lastName: text('lastName', 'Last name.'),
      fullName: text('fullName', 'Full name.'),
      smsPhone: text('smsPhone', 'SMS phone: digits with country code, no +, as NXLink holds it.'),
      whatsappPhone: text('whatsappPhone', 'WhatsApp phone: digits with country code, no +, as NXLink holds it.'),
      viberPhone: text('viberPhone', 'Viber phone: digits with country code, no +.'),
      line: text('line', 'Line id.'),
      messenger: text('messenger', 'Messenger id.'),
      instagram: text('instagram', 'Instagram id.'),
      country: text('country', 'Country code, as NXLink holds it (e.g. MX).'),
      birthday: text('birthday', 'Birthday, as NXLink holds it (YYYY-MM-DD).'),
      remark: text('remark', 'Remark.'),
      sourceType: integer(
        'sourceType',
        'How the customer arrived: 0 unknown, 1 new, 2 Excel import, 3 customer initiated, 4 SMS blast, 5 voice blast, 6 third-party API, 7 callbot, 8 call center, 9 email, 10 form, 11 customer initiated, 12 Viber, 13 Messenger, 14 Instagram, 15 Line.',
      ),
      sourceChannelKey: text('sourceChannelKey', 'Source channel.'),
      gender: integer('gender', '0 female, 1 male.'),
      status: integer('status', '0 disabled, 1 enabled.'),
      whatsappSubscribed: text(
        'whatsappSubscribed',
        'WhatsApp subscription flag, as NXLink holds it ("1" subscribed).',
      ),
      smsSubscribed: text('smsSubscribed', 'SMS subscription flag, as NXLink holds it ("1" subscribed).'),
      customFields: t.field({
        type: 'JSONObject',
        nullable: true,
        description:
          "Custom fields, parsed from NXLink's `customize_field` when it holds a JSON object; null when it is absent, empty or other text (see customFieldsText).",
        resolve: (record) => readable(record, 'customFields', 'NXLINK', record.customFields),
      }),
      customFieldsText: text(
        'customFieldsText',
        'NXLink\'s `customize_field` exactly as NXLink wrote it (a JSON object\'s text, or other text such as "1").',
      ),
      tenantId: t.exposeString('tenantId', { description: 'NXLink tenant id (64-bit integer, as decimal digits).' }),
      weight: text('weight', 'Customer level.'),
      web: text('web', 'WebChat site URL.'),
      tags: t.field({
        type: [NxlinkTagRef],
        nullable: false,
        description: 'Tags attached to the customer.',
        resolve: (record, _args, context, info) => readableList(record, 'tags', 'NXLINK', record.tags, context, info),
      }),
    };
  },
});

const TagsLogicEnum = builder.enumType('NxlinkTagsLogic', {
  description: 'How several tags combine.',
  values: {
    AND: { value: 'and', description: 'Customers with every tag.' },
    OR: { value: 'or', description: 'Customers with at least one of the tags.' },
  } as const,
});

const TagSelectorRef = builder.inputType('NxlinkTagSelector', {
  description: 'A tag to filter by.',
  fields: (t) => ({
    tagId: t.string({ required: true, description: 'Tag id (64-bit integer, as decimal digits).' }),
    tagName: t.string({ required: true, description: 'Tag name.' }),
  }),
});

const NxlinkCustomerFilterRef = builder.inputType('NxlinkCustomerFilter', {
  description: "NXLink's query filters, sent as the query's optional body fields (AND-ed).",
  fields: (t) => ({
    name: t.string({ description: 'Name, as NXLink matches it.' }),
    email: t.string({ description: 'Email address.' }),
    whatsappPhone: t.string({ description: 'WhatsApp phone, E.164 or digits.' }),
    smsPhone: t.string({ description: 'SMS phone, E.164 or digits.' }),
    viberPhone: t.string({ description: 'Viber phone, E.164 or digits.' }),
    startTime: t.field({ type: 'DateTime', description: 'Created at or after this instant (NXLink `start_time`).' }),
    endTime: t.field({ type: 'DateTime', description: 'Created before this instant (NXLink `end_time`).' }),
    tags: t.field({ type: [TagSelectorRef], description: 'Customers with these tags, combined by `tagsLogic`.' }),
    historicalTags: t.field({
      type: [TagSelectorRef],
      description: 'Customers that had these tags (NXLink `his_tags`).',
    }),
    tagsLogic: t.field({ type: TagsLogicEnum, description: 'How `tags` combine; NXLink defaults to OR.' }),
    sourceType: t.int({ description: 'Source type (see NxlinkCustomer.sourceType).' }),
    sourceChannelKey: t.string({ description: 'Source channel.' }),
  }),
});

type NxlinkFilterInput = typeof NxlinkCustomerFilterRef.$inferInput;

function tagSelectors(tags: { tagId: string; tagName: string }[] | null | undefined) {
  return tags?.map(({ tagId, tagName }) => ({ id: tagId, tagName }));
}

export function toNxlinkFilter(input: NxlinkFilterInput | null | undefined): NxlinkFilter {
  if (input === null || input === undefined) return {};
  const filter: NxlinkFilter = {
    name: input.name ?? undefined,
    email: input.email ?? undefined,
    whatsappPhone: input.whatsappPhone == null ? undefined : toNxlinkPhone(input.whatsappPhone),
    smsPhone: input.smsPhone == null ? undefined : toNxlinkPhone(input.smsPhone),
    viberPhone: input.viberPhone == null ? undefined : toNxlinkPhone(input.viberPhone),
    startTime: input.startTime?.toISOString(),
    endTime: input.endTime?.toISOString(),
    tags: tagSelectors(input.tags),
    hisTags: tagSelectors(input.historicalTags),
    tagsLogicType: input.tagsLogic ?? undefined,
    sourceType: input.sourceType ?? undefined,
    sourceChannelKey: input.sourceChannelKey ?? undefined,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
}

builder.queryField('nxlinkCustomers', (t) =>
  t.connection(
    {
      type: NxlinkCustomerRef,
      nullable: false,
      complexity: connectionComplexity,
      description: "NXLink customers, newest first. Forward and backward paging over NXLink's 64-bit id cursors.",
      args: {
        filter: t.arg({ type: NxlinkCustomerFilterRef, description: "NXLink's query filters." }),
      },
      resolve: (_root, args, context) => {
        const request = toPageRequest(args);
        const filter = toNxlinkFilter(args.filter);
        return resolveSourcePage(context, () =>
          pageNxlink({ request, filter, fetch: (query) => context.loaders.nxlink.query.load(query) }),
        );
      },
    },
    { name: 'NxlinkCustomerConnection', ...connectionFields, description: 'A page of NXLink customers.' },
    { name: 'NxlinkCustomerEdge', description: 'An NXLink customer and its cursor.' },
  ),
);
