import type { NxlinkFilter } from '../paging/nxlink-window.ts';
import { toE164, toNxlinkPhone } from '../phone.ts';
import type { NxlinkCustomerRecord } from '../upstream/nxlink/records.ts';
import type { QuentliCustomerFilter } from '../upstream/quentli/records.ts';

/** The filter of the merged `customers` connection. */
export interface CustomerFilter {
  search?: string | null;
  email?: string | null;
  phoneNumber?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
}

/** Quentli can apply every condition itself. */
export function toQuentliCustomerFilter(filter: CustomerFilter | null | undefined): QuentliCustomerFilter | undefined {
  if (filter === null || filter === undefined) return undefined;
  const conditions: QuentliCustomerFilter = {};
  if (filter.search != null) conditions.name = { contains: filter.search, mode: 'insensitive' };
  if (filter.email != null) conditions.email = { equals: filter.email, mode: 'insensitive' };
  if (filter.phoneNumber != null) conditions.phoneNumber = toE164(filter.phoneNumber);
  const createdAt: { gt?: string; lt?: string } = {};
  if (filter.createdAfter != null) createdAt.gt = filter.createdAfter.toISOString();
  if (filter.createdBefore != null) createdAt.lt = filter.createdBefore.toISOString();
  if (Object.keys(createdAt).length > 0) conditions.createdAt = createdAt;
  return Object.keys(conditions).length > 0 ? conditions : undefined;
}

export interface NxlinkCustomerScans {
  /** One query per filter; together they cover every match (see phoneNumber). */
  filters: NxlinkFilter[];
  /** The exact condition, applied by the gateway to what the queries return. */
  accept: ((customer: NxlinkCustomerRecord) => boolean) | undefined;
}

const SECOND = 1000;

/**
 * NXLink filters what it can; the gateway applies the exact condition to its answers:
 * - `search`: NXLink's `name` field has no documented matching rule, so the gateway matches
 *   the full name (case-insensitive substring) over the unfiltered list;
 * - `phoneNumber`: a customer's phone is its WhatsApp phone, else its SMS phone, so two queries
 *   (`whatsApp_phone`, `sms_phone`) cover it;
 * - `createdAfter`/`createdBefore`: `start_time`/`end_time` have a resolution of seconds and no
 *   documented inclusivity, so the window sent is one second wider on each side.
 */
export function toNxlinkCustomerScans(filter: CustomerFilter | null | undefined): NxlinkCustomerScans {
  if (filter === null || filter === undefined) return { filters: [{}], accept: undefined };
  const pushed: NxlinkFilter = {};
  const checks: ((customer: NxlinkCustomerRecord) => boolean)[] = [];

  if (filter.email != null) {
    const email = filter.email.toLowerCase();
    pushed.email = filter.email;
    checks.push((customer) => customer.email?.toLowerCase() === email);
  }
  if (filter.createdAfter != null) {
    const after = filter.createdAfter.getTime();
    pushed.startTime = new Date(Math.floor(after / SECOND) * SECOND - SECOND).toISOString();
    checks.push((customer) => Date.parse(customer.createdAt) > after);
  }
  if (filter.createdBefore != null) {
    const before = filter.createdBefore.getTime();
    pushed.endTime = new Date(Math.ceil(before / SECOND) * SECOND + SECOND).toISOString();
    checks.push((customer) => Date.parse(customer.createdAt) < before);
  }
  if (filter.search != null) {
    const search = filter.search.toLowerCase();
    checks.push((customer) => customer.fullName?.toLowerCase().includes(search) ?? false);
  }
  let filters = [pushed];
  if (filter.phoneNumber != null) {
    const phone = toE164(filter.phoneNumber);
    const digits = toNxlinkPhone(filter.phoneNumber);
    filters = [
      { ...pushed, whatsappPhone: digits },
      { ...pushed, smsPhone: digits },
    ];
    checks.push((customer) => toE164(customer.whatsappPhone ?? customer.smsPhone) === phone);
  }
  const accept =
    checks.length === 0 ? undefined : (customer: NxlinkCustomerRecord) => checks.every((check) => check(customer));
  return { filters, accept };
}
