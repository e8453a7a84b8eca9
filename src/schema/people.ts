import { BadInputError } from '../errors.ts';
import type { MergeEntry } from '../paging/merge.ts';
import { emptyPage, toPageRequest } from '../paging/page-request.ts';
import { pagePeople } from '../paging/people.ts';
import { recordMatcher } from '../people/filter.ts';
import { keyText, normalEmail, type MatchKey } from '../people/match.ts';
import { presenceOf, type PersonValue } from '../people/person.ts';
import { e164, toE164 } from '../phone.ts';
import { UpstreamError } from '../upstream/errors.ts';
import { builder } from './builder.ts';
import { connectionComplexity, connectionFields, reportUnavailable, toConnection } from './connection.ts';
import { customerSources } from './customer-sources.ts';
import { loadPerson, PersonRef } from './person.ts';

/** Rounds of reading per page of people (see pagePeople): each a customers page and one look-up batch. */
const PEOPLE_ROUNDS = 3;

const PersonPresenceEnum = builder.enumType('PersonPresence', {
  description: 'In which systems a person has records.',
  values: {
    BOTH: { description: 'Records in Quentli and in NXLink.' },
    QUENTLI_ONLY: { description: 'Records in Quentli only: billed, not reachable through NXLink.' },
    NXLINK_ONLY: { description: 'Records in NXLink only: messaged, never billed.' },
  } as const,
});

const PersonFilterRef = builder.inputType('PersonFilter', {
  description:
    'Conditions on people (AND-ed). The record conditions are those of `CustomerFilter`: a person is listed when one of its records meets all of them, at the place of its oldest such record.',
  fields: (t) => ({
    presence: t.field({ type: PersonPresenceEnum, description: 'Only people with records in these systems.' }),
    search: t.string({
      description:
        "A record's name contains this text (case-insensitive). NXLink cannot match names: its pages are scanned by the gateway, so pages may come back short (see `customers`).",
    }),
    email: t.field({ type: 'EmailAddress', description: "A record's email is this one (case-insensitive)." }),
    phoneNumber: t.field({
      type: 'PhoneNumber',
      description: "A record's primary phone is this one (E.164).",
      validate: e164,
    }),
    createdAfter: t.field({ type: 'DateTime', description: 'A record was created strictly after this instant.' }),
    createdBefore: t.field({ type: 'DateTime', description: 'A record was created strictly before this instant.' }),
  }),
});

builder.queryField('people', (t) =>
  t.connection(
    {
      type: PersonRef,
      nullable: false,
      complexity: connectionComplexity,
      description:
        "People of both systems (see `Person` for the matching rule), newest first by `firstSeenAt` (ties as in `customers`). Each cursor stands at a person's oldest record in the `customers` walk, so a walk from start to end lists every person once, also while customers are created in either system (a new record never becomes a person's oldest). A page reads the customers walk and looks up the people of the records it meets in one batch, in up to 3 rounds; when the rounds end first (many records of people already listed, or a bounded NXLink scan: see `customers`), the page is short with `hasNextPage: true` and an `endCursor` where reading stopped (`hasPreviousPage` and `startCursor` backward).",
      args: { filter: t.arg({ type: PersonFilterRef, description: 'Conditions on the people.' }) },
      resolve: async (_root, args, context) => {
        const request = toPageRequest(args);
        const presence = args.filter?.presence ?? undefined;
        // A person with records in one system only has its oldest record there.
        const include = new Set<'QUENTLI' | 'NXLINK'>(
          presence === 'QUENTLI_ONLY' ? ['QUENTLI'] : presence === 'NXLINK_ONLY' ? ['NXLINK'] : ['QUENTLI', 'NXLINK'],
        );
        const walk = {
          sources: customerSources(context, args.filter, include),
          personsOf: (entries: readonly MergeEntry[]) =>
            Promise.all(entries.map((entry) => loadPerson(context, entry))),
          matches: recordMatcher(args.filter),
          keep: (person: PersonValue) => presence === undefined || presenceOf(person) === presence,
          maxRounds: PEOPLE_ROUNDS,
        };
        // A person needs both systems: when one fails (the walk or a look-up), the page is empty
        // and says which one, rather than placing people by half of their records.
        try {
          const { page, failures } = await pagePeople<PersonValue>(request, walk);
          const unavailable = failures.map(({ error }) => {
            if (!(error instanceof UpstreamError)) throw error;
            return reportUnavailable(context, error);
          });
          return toConnection(page, unavailable);
        } catch (error) {
          if (!(error instanceof UpstreamError)) throw error;
          return toConnection(emptyPage<PersonValue>(), [reportUnavailable(context, error)]);
        }
      },
    },
    {
      name: 'PersonConnection',
      ...connectionFields,
      description:
        'A page of people. People need both systems: when one fails, the page is empty, `unavailableSources` names the failed one and an error says so.',
    },
    { name: 'PersonEdge', description: 'A person and its cursor.' },
  ),
);

builder.queryField('person', (t) =>
  t.field({
    type: PersonRef,
    nullable: true,
    description:
      "The person of a phone or of an email; pass exactly one. `phoneNumber` (E.164): the person whose records have this primary phone. `email`: the person whose records without a usable phone have this email (case-insensitive); records with a phone belong to their phone's person, so look those up by phone. Null when no record matches.",
    args: {
      phoneNumber: t.arg({ type: 'PhoneNumber', description: 'A primary phone in E.164.', validate: e164 }),
      email: t.arg({ type: 'EmailAddress', description: 'An email address (case-insensitive).' }),
    },
    resolve: async (_root, args, context) => {
      const key = lookupKey(args.phoneNumber ?? undefined, args.email ?? undefined);
      const person = await context.loaders.people.byKey.load(keyText(key));
      return person;
    },
  }),
);

function lookupKey(phoneNumber: string | undefined, email: string | undefined): MatchKey {
  if ((phoneNumber === undefined) === (email === undefined)) {
    throw new BadInputError('Pass exactly one of `phoneNumber` and `email`.', [
      phoneNumber === undefined ? 'phoneNumber' : 'email',
    ]);
  }
  if (phoneNumber !== undefined) return { kind: 'PHONE', phone: toE164(phoneNumber) ?? phoneNumber };
  const normal = normalEmail(email ?? null);
  if (normal === null) throw new BadInputError('`email` must not be blank.', ['email']);
  return { kind: 'EMAIL', email: normal };
}
