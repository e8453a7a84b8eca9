import { builder } from './builder.ts';
import { NxlinkCustomerRef } from './nxlink-customer.ts';
import { keyText, matchKeyOf, nxlinkEntry, quentliEntry } from '../people/match.ts';
import { QuentliCustomerRef } from './quentli-customer.ts';

// The links follow the matching rule of people (people/match.ts): a record's counterpart is the
// other system's record of the same person. A person may have several records in the other
// system (a shared phone): then the link is null rather than a silent choice of one, and
// `person` lists them all. A link reads the other system only: look-ups of one page batch as the people look-ups do
// (loaders/people.ts).

builder.objectField(QuentliCustomerRef, 'nxlinkProfile', (t) =>
  t.field({
    type: NxlinkCustomerRef,
    nullable: true,
    description:
      "The NXLink customer of the same person (see `Person`: the same E.164 phone, NXLink's WhatsApp phone, else its SMS phone; or, without a usable phone, the same email). Null when the person has no NXLink record, or several: then `person { nxlinkCustomers }` lists them.",
    resolve: async (record, _args, context) => {
      const others = await context.loaders.people.nxlinkOf.load(keyText(matchKeyOf(quentliEntry(record))));
      return others.length === 1 ? (others[0] ?? null) : null;
    },
  }),
);

builder.objectField(NxlinkCustomerRef, 'quentliCustomer', (t) =>
  t.field({
    type: QuentliCustomerRef,
    nullable: true,
    description:
      'The Quentli customer of the same person (see `Person`: the same E.164 phone, or, without a usable phone, the same email). Null when the person has no Quentli record, or several: then `person { quentliCustomers }` lists them.',
    resolve: async (record, _args, context) => {
      const others = await context.loaders.people.quentliOf.load(keyText(matchKeyOf(nxlinkEntry(record))));
      return others.length === 1 ? (others[0] ?? null) : null;
    },
  }),
);
