import type { Unreadable } from '../lenient.ts';

/**
 * A Quentli customer as the gateway uses it: read at the edge (quentli/schema.ts), absent
 * fields as null. Instants are ISO 8601 with `Z`, as Quentli wrote them when it wrote that form.
 */
export interface QuentliCustomerRecord {
  /** The tag that tells the two sources' records apart (schema/customer.ts). */
  source: 'QUENTLI';
  id: string;
  /** ISO 8601 instant, exactly as Quentli wrote it (in UTC when Quentli wrote another form). */
  createdAt: string;
  updatedAt: string;
  name: string | null;
  username: string | null;
  organizationId: string | null;
  acceptedServiceAgreement: boolean | null;
  skipTaxInvoice: boolean | null;
  emailVerified: boolean | null;
  phoneNumberVerified: boolean | null;
  hasChangedPassword: boolean | null;
  email: string | null;
  /** E.164, when Quentli wrote the phone as E.164; else null (see rawPhoneNumber). */
  phoneNumber: string | null;
  /** The phone exactly as Quentli wrote it. */
  rawPhoneNumber: string | null;
  secondaryPhoneNumber: string | null;
  archivedAt: string | null;
  archivedById: string | null;
  signatureAcceptedAt: string | null;
  optedOutWhatsappAt: string | null;
  optedInWhatsappAt: string | null;
  startedWhatsappAt: string | null;
  replyWithAssistant: boolean | null;
  /** Null when Quentli holds none. */
  metadata: QuentliMetadataEntry[] | null;
  meta: Record<string, unknown> | null;
  /** Fields whose value Quentli sent but the gateway could not read (null above); null when none. */
  unreadable: Unreadable;
}

export interface QuentliMetadataEntry {
  key: string;
  value: string | null;
}

/** An entry to write: Quentli's create and update take text values. */
export interface QuentliMetadataInput {
  key: string;
  value: string;
}

export type QuentliScalar = string | number | boolean | null;

/** Prisma-style operators on one field. */
export interface QuentliFieldOperators {
  equals?: QuentliScalar;
  in?: QuentliScalar[];
  notIn?: QuentliScalar[];
  contains?: string;
  startsWith?: string;
  endsWith?: string;
  lt?: string | number;
  lte?: string | number;
  gt?: string | number;
  gte?: string | number;
  not?: QuentliScalar | QuentliFieldOperators;
  mode?: 'insensitive' | 'default';
}

export const QUENTLI_FILTER_FIELDS = [
  'id',
  'name',
  'username',
  'email',
  'phoneNumber',
  'createdAt',
  'updatedAt',
  'archivedAt',
  'organizationId',
] as const;
export type QuentliFilterField = (typeof QUENTLI_FILTER_FIELDS)[number];

export type QuentliCustomerFilter = {
  [F in QuentliFilterField]?: QuentliScalar | QuentliFieldOperators;
} & {
  noPayments?: boolean;
  archived?: boolean;
  AND?: QuentliCustomerFilter[];
  OR?: QuentliCustomerFilter[];
  NOT?: QuentliCustomerFilter[];
};

export const QUENTLI_ORDER_FIELDS = ['createdAt', 'updatedAt', 'name', 'id'] as const;
export type QuentliOrderField = (typeof QUENTLI_ORDER_FIELDS)[number];
export type SortDirection = 'asc' | 'desc';
/** One sort key, e.g. `{ createdAt: 'desc' }`. */
export type QuentliOrderBy = { [F in QuentliOrderField]?: SortDirection };

export interface QuentliListParams {
  filter?: QuentliCustomerFilter;
  orderBy?: QuentliOrderBy[];
  offset?: number;
  /** 1..100 */
  limit: number;
}

/** Fields accepted by POST /v1/customers (`input`). */
export interface QuentliCreateInput {
  name: string;
  username?: string | null;
  email?: string | null;
  phoneNumber?: string | null;
  secondaryPhoneNumber?: string | null;
  acceptedServiceAgreement?: boolean | null;
  skipTaxInvoice?: boolean | null;
  assigneeId?: string | null;
  optedOutWhatsappAt?: string | null;
  metadata?: QuentliMetadataInput[] | null;
  tags?: string[] | null;
}

/** Fields accepted by PATCH /v1/customers/{id} (`input.data`). Absent means "leave alone". */
export interface QuentliUpdateData extends Partial<Omit<QuentliCreateInput, 'name'>> {
  name?: string | null;
  password?: string | null;
  tosIp?: string | null;
  signature?: string | null;
  hasChangedPassword?: boolean | null;
  phoneNumberVerified?: boolean | null;
  emailVerified?: boolean | null;
  replyWithAssistant?: boolean | null;
  meta?: Record<string, unknown> | null;
}

/**
 * The write fields, by name: the one list the client forwards (Quentli answers 422 to any
 * unknown `input` field, so only these ever leave the gateway) and the GraphQL inputs are
 * checked against (schema/mutations.ts). Each list and its interface above are checked against
 * each other both ways by the compiler.
 */
export const QUENTLI_CREATE_FIELDS = [
  'name',
  'username',
  'email',
  'phoneNumber',
  'secondaryPhoneNumber',
  'acceptedServiceAgreement',
  'skipTaxInvoice',
  'assigneeId',
  'optedOutWhatsappAt',
  'metadata',
  'tags',
] as const satisfies readonly (keyof QuentliCreateInput)[];
export const QUENTLI_UPDATE_FIELDS = [
  ...QUENTLI_CREATE_FIELDS,
  'password',
  'tosIp',
  'signature',
  'hasChangedPassword',
  'phoneNumberVerified',
  'emailVerified',
  'replyWithAssistant',
  'meta',
] as const satisfies readonly (keyof QuentliUpdateData)[];
export type QuentliCreateField = (typeof QUENTLI_CREATE_FIELDS)[number];
export type QuentliUpdateField = (typeof QUENTLI_UPDATE_FIELDS)[number];
/** Compiles only when every field of the interfaces is in its list. */
export type QuentliFieldListsComplete = [
  Exclude<keyof QuentliCreateInput, QuentliCreateField>,
  Exclude<keyof QuentliUpdateData, QuentliUpdateField>,
] extends [never, never]
  ? true
  : never;
const complete: QuentliFieldListsComplete = true;
void complete;

export interface QuentliUpdateInput {
  data: QuentliUpdateData;
  otp?: string;
}
