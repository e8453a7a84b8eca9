/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query CustomersPage($first: Int!, $after: String) {\n    customers(first: $first, after: $after) {\n      edges {\n        node {\n          source\n          sourceId\n          name\n          phoneNumber\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.CustomersPageDocument,
};
const documents: Documents = {
    "\n  query CustomersPage($first: Int!, $after: String) {\n    customers(first: $first, after: $after) {\n      edges {\n        node {\n          source\n          sourceId\n          name\n          phoneNumber\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.CustomersPageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomersPage($first: Int!, $after: String) {\n    customers(first: $first, after: $after) {\n      edges {\n        node {\n          source\n          sourceId\n          name\n          phoneNumber\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').CustomersPageDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
