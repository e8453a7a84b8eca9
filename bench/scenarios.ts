import { signNxlinkRequest } from '../src/upstream/nxlink/sign.ts';
import type { HttpCall } from './load.ts';
import { BENCH_GATEWAY_KEY, DEV_CREDENTIALS } from './processes.ts';
import type { UpstreamCalls } from './sandbox.ts';

/** Where a scenario's requests go; the CPU of that process is charged to them. */
export type Endpoint = 'quentli' | 'nxlink' | 'gateway' | 'baseline' | 'floor';

export type ScenarioId =
  | 'direct-quentli'
  | 'direct-nxlink'
  | 'gateway-quentli'
  | 'baseline-quentli'
  | 'floor-quentli'
  | 'gateway-nxlink'
  | 'gateway-customers'
  | 'gateway-people'
  | 'gateway-quentli-pages';

export interface Scenario {
  id: ScenarioId;
  label: string;
  endpoint: Endpoint;
  call: HttpCall;
  refresh?: () => HttpCall;
  verify: (body: string) => boolean;
  /** Connections driving it, when not the run's `--connections`. */
  connections?: number;
  /**
   * The most upstream calls one request may make, worked out from one of its answers; only for
   * gateway scenarios, where batching is the point.
   */
  upstreamBound?: (answer: unknown) => UpstreamCalls;
}

const NODE_FIELDS = 'id name email phoneNumber createdAt';

export const QUERIES = {
  quentliPage: `query QuentliPage { quentliCustomers(first: 20) { edges { cursor node { ${NODE_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
  nxlinkPage: `query NxlinkPage { nxlinkCustomers(first: 20) { edges { cursor node { ${NODE_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
  customersPage: `query CustomersPage { customers(first: 50) { edges { cursor node { __typename ${NODE_FIELDS} ... on QuentliCustomer { nxlinkProfile { id fullName } } ... on NxlinkCustomer { whatsappPhone quentliCustomer { id username } } } } pageInfo { hasNextPage endCursor } } }`,
  quentliPageOf: `query QuentliPageOf($first: Int) { quentliCustomers(first: $first) { edges { cursor node { ${NODE_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
  peoplePage: `query PeoplePage { people(first: 50) { edges { cursor node { id name phoneNumber email firstSeenAt matchedBy quentliCustomers { id name } nxlinkCustomers { id fullName } } } pageInfo { hasNextPage endCursor } } }`,
  walk: 'query Walk($after: String) { customers(first: 100, after: $after) { edges { node { id name createdAt } } pageInfo { hasNextPage endCursor } } }',
} as const;

/** The baseline and the floor ignore the gateway key; all get the same request. */
export function graphqlCall(query: string, variables?: Record<string, unknown>): HttpCall {
  return {
    method: 'POST',
    path: '/graphql',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${BENCH_GATEWAY_KEY}`,
    },
    body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
  };
}

/** Data and no errors: a page that failed upstream must not count as a fast answer. */
const isGraphQLData = (body: string) => body.startsWith('{"data"') && !body.includes('"errors"');

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'direct-quentli',
    label: 'direct Quentli GET /v1/customers?limit=20',
    endpoint: 'quentli',
    call: {
      method: 'GET',
      path: '/v1/customers?limit=20',
      headers: { authorization: `Bearer ${DEV_CREDENTIALS.QUENTLI_API_KEY}`, accept: 'application/json' },
    },
    verify: (body) => body.startsWith('['),
  },
  {
    id: 'direct-nxlink',
    label: 'direct NXLink query limit 20',
    endpoint: 'nxlink',
    call: signedNxlinkQuery(),
    refresh: signedNxlinkQuery,
    verify: (body) => body.includes('"code":0'),
  },
  {
    id: 'gateway-quentli',
    label: 'gateway quentliCustomers(first: 20)',
    endpoint: 'gateway',
    call: graphqlCall(QUERIES.quentliPage),
    verify: isGraphQLData,
    upstreamBound: () => ({ quentli: 1, nxlink: 0 }),
  },
  {
    id: 'baseline-quentli',
    label: 'baseline quentliCustomers(first: 20)',
    endpoint: 'baseline',
    call: graphqlCall(QUERIES.quentliPage),
    verify: isGraphQLData,
  },
  {
    id: 'floor-quentli',
    label: 'floor: same call and answer, no GraphQL',
    endpoint: 'floor',
    call: graphqlCall(QUERIES.quentliPage),
    verify: isGraphQLData,
  },
  {
    id: 'gateway-nxlink',
    label: 'gateway nxlinkCustomers(first: 20)',
    endpoint: 'gateway',
    call: graphqlCall(QUERIES.nxlinkPage),
    verify: isGraphQLData,
    upstreamBound: () => ({ quentli: 0, nxlink: 1 }),
  },
  {
    id: 'gateway-customers',
    label: 'gateway customers(first: 50) + links',
    endpoint: 'gateway',
    call: graphqlCall(QUERIES.customersPage),
    verify: isGraphQLData,
    upstreamBound: customersPageBound,
    // Its target is a latency: one request's two rounds of upstream calls. Ten clients at once
    // would measure how requests queue for two shared cores instead (the other scenarios do).
    connections: 1,
  },
  {
    id: 'gateway-people',
    label: 'gateway people(first: 50)',
    endpoint: 'gateway',
    call: graphqlCall(QUERIES.peoplePage),
    verify: isGraphQLData,
    upstreamBound: peoplePageBound,
    // Like customers: a latency of a few rounds of upstream calls, one client.
    connections: 1,
  },
];

/**
 * Pages of every size from 1 to 50, one at random per request: reads that rarely coincide, to
 * show what in-flight de-duplication gains (or costs) when queries vary.
 */
export const VARIED_QUENTLI_PAGES: Scenario = {
  id: 'gateway-quentli-pages',
  label: 'gateway quentliCustomers(first: 1..50)',
  endpoint: 'gateway',
  call: graphqlCall(QUERIES.quentliPageOf, { first: 20 }),
  refresh: () => graphqlCall(QUERIES.quentliPageOf, { first: 1 + Math.floor(Math.random() * 50) }),
  verify: isGraphQLData,
};

export function scenario(id: ScenarioId): Scenario {
  const found = [...SCENARIOS, VARIED_QUENTLI_PAGES].find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`No scenario ${id}`);
  return found;
}

/**
 * The NXLink list call as the gateway makes it, signed anew for every request: NXLink refuses
 * a `ts` more than 60 s old. The 64-bit tenant id goes as a bare JSON number, so the body is
 * written by hand rather than with JSON.stringify.
 */
function signedNxlinkQuery(): HttpCall {
  const body = `{"tenant_id":${DEV_CREDENTIALS.NXLINK_TENANT_ID},"app_key":${JSON.stringify(DEV_CREDENTIALS.NXLINK_APP_KEY)},"limit":20}`;
  const signed = signNxlinkRequest({
    accessKey: DEV_CREDENTIALS.NXLINK_ACCESS_KEY,
    accessSecret: DEV_CREDENTIALS.NXLINK_ACCESS_SECRET,
    ts: String(Date.now()),
    bizType: '2',
    action: 'mt',
    body,
  });
  return {
    method: 'POST',
    path: '/saas/cdp/openapi/customers/query',
    headers: { ...signed, 'content-type': 'application/json', accept: 'application/json' },
    body,
  };
}

/**
 * One Quentli list and one NXLink list call in parallel; then each link looks up the other
 * system by the matching rule's key (src/people/match.ts), in one batch: for the NXLink
 * records, Quentli one list per 20 phones and one per 20 emails (of records without a phone);
 * for the Quentli records, NXLink two queries per phone (WhatsApp, SMS) and one per email.
 */
function customersPageBound(answer: unknown): UpstreamCalls {
  const nodes = nodesOf(answer, 'customers');
  const keys = (typename: string) => lookupKeys(nodes.filter((node) => node.__typename === typename));
  const quentli = keys('NxlinkCustomer');
  const nxlink = keys('QuentliCustomer');
  return {
    quentli: 1 + Math.ceil(quentli.phones / 20) + Math.ceil(quentli.emails / 20),
    nxlink: 1 + 2 * nxlink.phones + nxlink.emails,
  };
}

/**
 * At most three rounds (src/paging/people.ts), each a page of the customers walk (Quentli 1–2
 * calls with ties, NXLink 1) and the look-ups of the people of its records: at most 63 records
 * (1.25 per person of 50) in the first round and 100 in each other, each record's person looked
 * up in both systems (see customersPageBound), batched by 20 on Quentli.
 */
function peoplePageBound(): UpstreamCalls {
  const records = [63, 100, 100];
  return records.reduce<UpstreamCalls>(
    (sum, read) => addCalls(sum, { quentli: 2 + 2 * Math.ceil(read / 20), nxlink: 1 + 2 * read }),
    { quentli: 0, nxlink: 0 },
  );
}

/** Distinct phones, and emails of records without a phone: the look-up keys of the rule. */
function lookupKeys(nodes: Json[]): { phones: number; emails: number } {
  const phones = new Set(
    nodes.map((node) => node.phoneNumber).filter((phone): phone is string => typeof phone === 'string'),
  );
  const emails = new Set(
    nodes
      .filter((node) => typeof node.phoneNumber !== 'string' && typeof node.email === 'string')
      .map((node) => String(node.email).toLowerCase()),
  );
  return { phones: phones.size, emails: emails.size };
}

function addCalls(a: UpstreamCalls, b: UpstreamCalls): UpstreamCalls {
  return { quentli: a.quentli + b.quentli, nxlink: a.nxlink + b.nxlink };
}

export type Json = Record<string, unknown>;

function nodesOf(answer: unknown, field: string): Json[] {
  return connectionOf(answer, field).nodes;
}

export interface ConnectionPage {
  nodes: Json[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** The nodes and forward paging of connection `field` in a GraphQL answer. */
export function connectionOf(answer: unknown, field: string): ConnectionPage {
  const connection = objectAt(objectAt(answer, 'data'), field);
  const edges = connection.edges;
  if (!Array.isArray(edges))
    throw new Error(`The answer has no ${field}.edges: ${JSON.stringify(answer).slice(0, 300)}`);
  const pageInfo = objectAt(connection, 'pageInfo');
  return {
    nodes: edges.map((edge: unknown) => objectAt(edge, 'node')),
    hasNextPage: pageInfo.hasNextPage === true,
    endCursor: typeof pageInfo.endCursor === 'string' ? pageInfo.endCursor : null,
  };
}

function objectAt(value: unknown, key: string): Json {
  const inner = typeof value === 'object' && value !== null ? (value as Json)[key] : undefined;
  if (typeof inner !== 'object' || inner === null)
    throw new Error(`Expected an object at "${key}" in ${JSON.stringify(value).slice(0, 300)}`);
  return inner as Json;
}
