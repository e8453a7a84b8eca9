/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** The upstream system a customer record comes from. */
export type CustomerSource =
  /** NXLink, the customer data platform for WhatsApp and other channels. */
  | 'NXLINK'
  /** Quentli, billing and collections. */
  | 'QUENTLI';

export type CustomersPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type CustomersPageQuery = { customers: { edges: Array<{ node:
        | { source: CustomerSource, sourceId: string, name: string | null, phoneNumber: string | null, createdAt: string }
        | { source: CustomerSource, sourceId: string, name: string | null, phoneNumber: string | null, createdAt: string }
       }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const CustomersPageDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<CustomersPageQuery, CustomersPageQueryVariables>;