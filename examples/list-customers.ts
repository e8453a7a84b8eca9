/**
 * A typed client of the gateway: lists every customer of both sources, page by page, with a
 * document typed by `npm run codegen` and plain `fetch`.
 *
 *   npm run codegen && npx tsx examples/list-customers.ts [gateway-url] [page-size]
 *
 * GATEWAY_KEY, when set, is sent as the gateway key.
 */
import { graphql } from './gql/gql.ts';
import type { CustomersPageQuery, TypedDocumentString } from './gql/graphql.ts';

const CustomersPage = graphql(`
  query CustomersPage($first: Int!, $after: String) {
    customers(first: $first, after: $after) {
      edges {
        node {
          source
          sourceId
          name
          phoneNumber
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

async function execute<Result, Variables>(
  url: string,
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const key = process.env.GATEWAY_KEY;
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: { message: string }[] };
  if (body.errors?.length || body.data === undefined) {
    throw new Error(`gateway answered ${response.status}: ${body.errors?.map((e) => e.message).join('; ')}`);
  }
  return body.data;
}

const url = process.argv[2] ?? 'http://127.0.0.1:4000';
const first = Number(process.argv[3] ?? 50);
let after: string | null = null;
let count = 0;
do {
  const { customers }: CustomersPageQuery = await execute(url, CustomersPage, { first, after });
  for (const { node } of customers.edges) {
    count++;
    console.log(
      [node.createdAt, node.source, node.sourceId, node.name ?? '(no name)', node.phoneNumber ?? ''].join('\t'),
    );
  }
  after = customers.pageInfo.hasNextPage ? (customers.pageInfo.endCursor ?? null) : null;
} while (after !== null);
console.log(`${count} customers`);
