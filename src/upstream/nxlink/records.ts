import type { Unreadable } from '../lenient.ts';

/**
 * An NXLink customer as the gateway uses it: camelCase, read at the edge (nxlink/schema.ts). Every 64-bit
 * integer (ids, tenant id, tag ids) is a string of decimal digits, never a JS number.
 */
export interface NxlinkCustomerRecord {
  /** The tag that tells the two sources' records apart (schema/customer.ts). */
  source: 'NXLINK';
  id: string;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  /** Digits with country code, no `+`, as NXLink stores them. */
  smsPhone: string | null;
  whatsappPhone: string | null;
  viberPhone: string | null;
  line: string | null;
  messenger: string | null;
  instagram: string | null;
  email: string | null;
  country: string | null;
  birthday: string | null;
  remark: string | null;
  sourceType: number | null;
  sourceChannelKey: string | null;
  gender: number | null;
  /** ISO 8601 instant in UTC, read from NXLink's offset-less text in NXLINK_TIME_ZONE. */
  createdAt: string;
  updatedAt: string;
  status: number | null;
  whatsappSubscribed: string | null;
  smsSubscribed: string | null;
  /** `customize_field` parsed from its JSON text; null when absent, empty or not an object. */
  customFields: Record<string, unknown> | null;
  /** `customize_field` exactly as NXLink wrote it (the page's own example is `"1"`). */
  customFieldsText: string | null;
  tenantId: string;
  weight: string | null;
  web: string | null;
  tags: NxlinkTagRecord[];
  /** Fields whose value NXLink sent but the gateway could not read (null above); null when none. */
  unreadable: Unreadable;
}

export interface NxlinkTagRecord {
  tagId: string;
  tagName: string | null;
  groupId: string | null;
  groupName: string | null;
  note: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  unreadable: Unreadable;
}

export interface NxlinkPaging {
  /** Id of the last customer of the page (send as `after` to continue forward). */
  after: string | null;
  /** Id of the first customer of the page (send as `before` to continue backward). */
  before: string | null;
  /** First id of the previous page; null on the first page. */
  previous: string | null;
  /** First id of the next page; null on the last page. */
  next: string | null;
}

export interface NxlinkPage {
  customers: NxlinkCustomerRecord[];
  paging: NxlinkPaging;
}

export interface NxlinkTagSelector {
  id: string;
  tagName: string;
}

/** The optional body fields of the query, camelCase; 64-bit values as decimal strings. */
export interface NxlinkQuery {
  name?: string;
  email?: string;
  whatsappPhone?: string;
  smsPhone?: string;
  viberPhone?: string;
  /** Instants (ISO 8601); the client writes them as `YYYY-MM-DD HH:mm:ss` in NXLINK_TIME_ZONE. */
  startTime?: string;
  endTime?: string;
  tags?: NxlinkTagSelector[];
  hisTags?: NxlinkTagSelector[];
  tagsLogicType?: 'and' | 'or';
  sourceType?: number;
  sourceChannelKey?: string;
  after?: string;
  before?: string;
  /** 1..50 */
  limit: number;
}
