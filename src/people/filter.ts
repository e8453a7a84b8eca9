import { toE164 } from '../phone.ts';
import { toNxlinkCustomerScans, type CustomerFilter } from '../filters/customer-filter.ts';
import type { MergeEntry } from '../paging/merge.ts';
import type { QuentliCustomerRecord } from '../upstream/quentli/records.ts';

/**
 * The CustomerFilter as a test of one record, as the upstreams apply it (NXLink's exact test is
 * the one its scans apply; Quentli's mirrors the filter the gateway sends it). `people` uses it
 * on the records of a person found by look-up, which no upstream filtered.
 */
export function recordMatcher(filter: CustomerFilter | null | undefined): (entry: MergeEntry) => boolean {
  if (filter === null || filter === undefined) return () => true;
  const nxlink = toNxlinkCustomerScans(filter).accept ?? (() => true);
  const quentli = quentliMatcher(filter);
  return (entry) => (entry.source === 'QUENTLI' ? quentli(entry.record) : nxlink(entry.record));
}

function quentliMatcher(filter: CustomerFilter): (record: QuentliCustomerRecord) => boolean {
  const checks: ((record: QuentliCustomerRecord) => boolean)[] = [];
  if (filter.search != null) {
    const search = filter.search.toLowerCase();
    checks.push((record) => record.name?.toLowerCase().includes(search) ?? false);
  }
  if (filter.email != null) {
    const email = filter.email.toLowerCase();
    checks.push((record) => record.email?.toLowerCase() === email);
  }
  if (filter.phoneNumber != null) {
    const phone = toE164(filter.phoneNumber);
    checks.push((record) => record.phoneNumber === phone);
  }
  if (filter.createdAfter != null) {
    const after = filter.createdAfter.getTime();
    checks.push((record) => Date.parse(record.createdAt) > after);
  }
  if (filter.createdBefore != null) {
    const before = filter.createdBefore.getTime();
    checks.push((record) => Date.parse(record.createdAt) < before);
  }
  return (record) => checks.every((check) => check(record));
}
