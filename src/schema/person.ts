import type { GatewayContext } from '../context.ts';
import type { MergeEntry } from '../paging/merge.ts';
import { keyText, matchKeyOf, nxlinkEntry, quentliEntry, type MatchKey } from '../people/match.ts';
import { UpstreamError } from '../upstream/errors.ts';
import { reportUnavailable } from './connection.ts';
import { personIdOf, personOf, type PersonValue } from '../people/person.ts';
import { isNxlinkId, isQuentliId } from '../upstream/ids.ts';
import type { NxlinkCustomerRecord } from '../upstream/nxlink/records.ts';
import type { QuentliCustomerRecord } from '../upstream/quentli/records.ts';
import { builder } from './builder.ts';
import { CustomerRef, isQuentliRecord, type CustomerRecord } from './customer.ts';
import { NxlinkCustomerRef } from './nxlink-customer.ts';
import { QuentliCustomerRef } from './quentli-customer.ts';

export const PersonRef = builder.objectRef<PersonValue>('Person');

export const PersonMatchEnum = builder.enumType('PersonMatch', {
  description: "How a person's records were joined (see `Person`).",
  values: {
    PHONE: {
      description: 'The same primary phone in E.164 (Quentli `phoneNumber`; NXLink WhatsApp phone, else SMS phone).',
    },
    EMAIL: { description: 'The same email (case-insensitive), between records without a usable phone.' },
  } as const,
});

/**
 * The person of a record, from both systems: its match key's person, which holds the record
 * itself (added when a look-up missed it, e.g. an upstream's email filter that is stricter
 * about case). Throws the UpstreamError of a system that failed: `people` must not decide where
 * a person stands from half of its records.
 */
export async function loadPerson(context: GatewayContext, entry: MergeEntry): Promise<PersonValue> {
  const key = matchKeyOf(entry);
  const found = await context.loaders.people.byKey.load(keyText(key));
  return withEntry(key, found?.records ?? [], entry);
}

/**
 * The person of a record for `Customer.person` (non-null): when one system fails, its records
 * are missing from the person, and an error without a path names that system, as
 * `unavailableSources` does for a page.
 */
export async function personOfEntry(context: GatewayContext, entry: MergeEntry): Promise<PersonValue> {
  const key = matchKeyOf(entry);
  const text = keyText(key);
  const [quentli, nxlink] = await Promise.allSettled([
    context.loaders.people.quentliOf.load(text),
    context.loaders.people.nxlinkOf.load(text),
  ]);
  const records: MergeEntry[] = [];
  for (const side of [quentli, nxlink]) {
    if (side.status === 'rejected') {
      const error: unknown = side.reason;
      if (!(error instanceof UpstreamError)) throw error;
      // One error per failed system, however many records asked it.
      const told = context.partialErrors.some(
        (told) => told.path === undefined && told.extensions.source === error.source,
      );
      if (!told) reportUnavailable(context, error);
      continue;
    }
    for (const record of side.value) records.push(entryOf(record));
  }
  return withEntry(key, records, entry);
}

function withEntry(key: MatchKey, records: readonly MergeEntry[], entry: MergeEntry): PersonValue {
  const person = personOf(key, [...records, entry]);
  if (person === null) throw new Error('a person always holds the record it was found by');
  return person;
}

export const entryOf = (record: CustomerRecord | QuentliCustomerRecord | NxlinkCustomerRecord): MergeEntry =>
  isQuentliRecord(record) ? quentliEntry(record) : nxlinkEntry(record);

/** The person named by a Person id: the person of the record the id names, while it exists. */
async function personById(id: string, context: GatewayContext): Promise<PersonValue | null> {
  const [source, recordId = ''] = id.split('.');
  const record =
    source === 'quentli'
      ? await context.loaders.quentli.byId.load(recordId)
      : await context.loaders.nxlink.byId.load(recordId);
  return record === null ? null : personOfEntry(context, entryOf(record));
}

builder.node(PersonRef, {
  description:
    "A person: every customer record of both systems that belongs to one human, joined by one rule. Records belong together when their primary phones are the same E.164 number (Quentli `phoneNumber`; NXLink WhatsApp phone, else SMS phone), so a shared phone (a family, a front desk) is one person with several records; records without a usable phone (none, or not E.164: never joined on a guess) belong together when their emails are the same, case-insensitively; a record with neither is a person of its own. The id names the person's oldest record and stays valid while that record exists.",
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'oldest' in value && 'key' in value,
  id: {
    resolve: personIdOf,
    parse: (id) => {
      const [source, recordId = '', ...rest] = id.split('.');
      const valid =
        rest.length === 0 &&
        ((source === 'quentli' && isQuentliId(recordId)) || (source === 'nxlink' && isNxlinkId(recordId)));
      if (!valid) throw new Error('a Person id names its oldest record (`quentli.<cuid>` or `nxlink.<id>`).');
      return id;
    },
  },
  loadMany: (ids, context) => ids.map((id) => personById(id, context)),
  fields: (t) => ({
    name: t.string({
      nullable: true,
      description: 'The name of its newest Quentli record that has one, else of its newest NXLink record that has one.',
      resolve: (person) =>
        person.quentli.find((record) => record.name !== null)?.name ??
        person.nxlink.find((record) => record.fullName !== null)?.fullName ??
        null,
    }),
    phoneNumber: t.string({
      nullable: true,
      description: 'The E.164 phone its records share; null when they were joined by email or it has no usable phone.',
      resolve: (person) => (person.key.kind === 'PHONE' ? person.key.phone : null),
    }),
    email: t.string({
      nullable: true,
      description:
        'The email of its newest Quentli record that has one, else of its newest NXLink record that has one, as the upstream holds it.',
      resolve: (person) =>
        person.quentli.find((record) => record.email !== null)?.email ??
        person.nxlink.find((record) => record.email !== null)?.email ??
        null,
    }),
    quentliCustomers: t.field({
      type: [QuentliCustomerRef],
      nullable: false,
      description: 'Its Quentli records, newest first.',
      resolve: (person) => person.quentli,
    }),
    nxlinkCustomers: t.field({
      type: [NxlinkCustomerRef],
      nullable: false,
      description: 'Its NXLink records, newest first.',
      resolve: (person) => person.nxlink,
    }),
    firstSeenAt: t.field({
      type: 'DateTime',
      nullable: false,
      description: 'The oldest `createdAt` of its records: its place in `people`.',
      resolve: (person) => person.oldest.record.createdAt,
    }),
    matchedBy: t.field({
      type: [PersonMatchEnum],
      nullable: false,
      description: 'How its records were joined: `[PHONE]` or `[EMAIL]`; empty for a person of one record.',
      resolve: (person) => (person.records.length > 1 && person.key.kind !== 'RECORD' ? [person.key.kind] : []),
    }),
  }),
});

builder.interfaceField(CustomerRef, 'person', (t) =>
  t.field({
    type: PersonRef,
    nullable: false,
    description: 'The person this record belongs to, with its records in both systems (see `Person` for the rule).',
    resolve: (record, _args, context) => personOfEntry(context, entryOf(record)),
  }),
);
