import type { TestGateway } from './gateway.ts';

/**
 * The ground truth of `people`, computed here from a full walk of `customers` (every record of
 * both sources, in the merged order) by the documented rule, written again independently of
 * the gateway's code: a record's phone is its E.164 primary phone (Quentli only when written
 * with a `+`; NXLink WhatsApp, else SMS, as digits with a country code); records with the same
 * phone are one person; records without one join by email (case-insensitive); else alone.
 */
export interface TruthRecord {
  source: 'QUENTLI' | 'NXLINK';
  sourceId: string;
  rawPhoneNumber: string | null;
  email: string | null;
  name: string | null;
  createdAt: string;
}

export interface TruthPerson {
  key: string;
  /** `Q:<id>` / `N:<id>`, sorted. */
  records: string[];
  /** The merged-order index of the oldest record. */
  place: number;
  presence: 'BOTH' | 'QUENTLI_ONLY' | 'NXLINK_ONLY';
}

export const RECORD_FIELDS = 'source sourceId rawPhoneNumber email name createdAt';

const COUNTRY_CODE_AND_NUMBER = /^[1-9][0-9]{6,14}$/;

export function truthPhone(record: TruthRecord): string | null {
  const raw = record.rawPhoneNumber;
  if (raw === null) return null;
  if (record.source === 'QUENTLI' && !raw.trim().startsWith('+')) return null;
  const digits = raw.replace(/[\s().-]/g, '').replace(/^\+/, '');
  return COUNTRY_CODE_AND_NUMBER.test(digits) ? `+${digits}` : null;
}

export function truthKey(record: TruthRecord): string {
  const phone = truthPhone(record);
  if (phone !== null) return `phone:${phone}`;
  const email = record.email?.trim().toLowerCase() ?? '';
  if (email !== '') return `email:${email}`;
  return `record:${record.source}:${record.sourceId}`;
}

export const recordName = (record: { source: string; sourceId: string }) =>
  `${record.source === 'QUENTLI' ? 'Q' : 'N'}:${record.sourceId}`;

/** People of `records` (merged order), newest first by their oldest record. */
export function truthPeople(records: readonly TruthRecord[]): TruthPerson[] {
  const byKey = new Map<string, TruthPerson>();
  records.forEach((record, index) => {
    const key = truthKey(record);
    const person = byKey.get(key) ?? { key, records: [], place: index, presence: 'QUENTLI_ONLY' as const };
    person.records.push(recordName(record));
    person.place = index;
    byKey.set(key, person);
  });
  return [...byKey.values()]
    .map((person) => {
      const q = person.records.some((name) => name.startsWith('Q:'));
      const n = person.records.some((name) => name.startsWith('N:'));
      return {
        ...person,
        records: [...person.records].sort(),
        presence: q && n ? 'BOTH' : q ? 'QUENTLI_ONLY' : 'NXLINK_ONLY',
      } as TruthPerson;
    })
    .sort((a, b) => a.place - b.place);
}

/** Every record of both sources through `customers`, in its order; field errors tolerated. */
export async function allRecords(
  gateway: TestGateway,
  variables: Record<string, unknown> = {},
): Promise<TruthRecord[]> {
  const records: TruthRecord[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const response = await gateway.graphql(
      `query($after: String, $filter: CustomerFilter) { customers(first: 100, after: $after, filter: $filter) {
        edges { node { ${RECORD_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
      { after, ...variables },
    );
    const connection = response.data?.customers as
      | { edges: { node: TruthRecord }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }
      | undefined;
    if (connection === undefined) throw new Error(JSON.stringify(response).slice(0, 500));
    records.push(...connection.edges.map((edge) => edge.node));
    if (!connection.pageInfo.hasNextPage) return records;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('customers did not end');
}

export const PERSON_FIELDS =
  'id name phoneNumber email firstSeenAt matchedBy quentliCustomers { sourceId } nxlinkCustomers { sourceId }';

export interface PersonNode {
  id: string;
  name: string | null;
  phoneNumber: string | null;
  email: string | null;
  firstSeenAt: string;
  matchedBy: string[];
  quentliCustomers: { sourceId: string }[];
  nxlinkCustomers: { sourceId: string }[];
}

export function recordsOf(person: PersonNode): string[] {
  return [
    ...person.quentliCustomers.map((c) => `Q:${c.sourceId}`),
    ...person.nxlinkCustomers.map((c) => `N:${c.sourceId}`),
  ].sort();
}

export const PEOPLE_QUERY = /* GraphQL */ `
  query People($first: Int, $after: String, $last: Int, $before: String, $filter: PersonFilter) {
    people(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      edges { cursor node { ${PERSON_FIELDS} } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      unavailableSources
    }
  }
`;

/** Walks `people` to its end, following endCursor (startCursor backward); errors collected. */
export async function walkPeople(
  gateway: TestGateway,
  options: {
    direction: 'forward' | 'backward';
    size: number;
    filter?: Record<string, unknown>;
    between?: (page: number) => unknown;
    errors?: unknown[];
  },
): Promise<PersonNode[]> {
  const people: PersonNode[] = [];
  let cursor: string | null = null;
  const forward = options.direction === 'forward';
  for (let page = 0; page < 1000; page++) {
    const response = await gateway.graphql(PEOPLE_QUERY, {
      filter: options.filter,
      ...(forward ? { first: options.size, after: cursor } : { last: options.size, before: cursor }),
    });
    if (options.errors !== undefined) options.errors.push(...(response.errors ?? []));
    else if (response.errors !== undefined) throw new Error(JSON.stringify(response.errors).slice(0, 500));
    const connection = response.data?.people as {
      edges: { node: PersonNode }[];
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string | null;
        endCursor: string | null;
      };
    };
    const nodes = connection.edges.map((edge) => edge.node);
    if (forward) people.push(...nodes);
    else people.unshift(...nodes);
    if (!(forward ? connection.pageInfo.hasNextPage : connection.pageInfo.hasPreviousPage)) return people;
    cursor = forward ? connection.pageInfo.endCursor : connection.pageInfo.startCursor;
    await options.between?.(page);
  }
  throw new Error('people did not end');
}
