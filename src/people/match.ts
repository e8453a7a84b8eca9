import { toE164 } from '../phone.ts';
import type { MergeEntry } from '../paging/merge.ts';
import type { NxlinkCustomerRecord } from '../upstream/nxlink/records.ts';
import type { QuentliCustomerRecord } from '../upstream/quentli/records.ts';

/**
 * The matching rule, the one place it is written (links, people, person look-ups all use it):
 *
 * - a record's phone is its primary phone in E.164: Quentli's `phoneNumber` when Quentli wrote
 *   it as E.164; NXLink's WhatsApp phone, else its SMS phone, when it is digits with a country
 *   code. Anything else (a local number, letters, an unreadable value) is no phone: it is never
 *   joined on a guess;
 * - records with a phone belong to the person of that phone, whatever their emails say: a shared
 *   phone (a family, a front desk) is one person with several records;
 * - records without a phone belong to the person of their email, compared case-insensitively
 *   (trimmed): only with other records without a phone, since an email beside a phone may be
 *   shared by several phones' people;
 * - a record with neither is a person of its own.
 *
 * So every record has exactly one key, and a person is the set of records with the same key.
 */
export type MatchKey =
  | { kind: 'PHONE'; phone: string }
  | { kind: 'EMAIL'; email: string }
  | { kind: 'RECORD'; source: 'QUENTLI' | 'NXLINK'; id: string };

export function phoneOf(entry: MergeEntry): string | null {
  if (entry.source === 'QUENTLI') return entry.record.phoneNumber;
  const { whatsappPhone, smsPhone, unreadable } = entry.record;
  // A WhatsApp phone NXLink sent but the gateway could not read is unknown, not absent: the SMS
  // phone does not stand in for it.
  if (unreadable?.includes('whatsappPhone') || (whatsappPhone === null && unreadable?.includes('smsPhone')))
    return null;
  return toE164(whatsappPhone ?? smsPhone);
}

/** An email as the rule compares it; null for none (absent, blank or unreadable). */
export function normalEmail(email: string | null): string | null {
  const trimmed = email?.trim().toLowerCase() ?? '';
  return trimmed === '' ? null : trimmed;
}

export function matchKeyOf(entry: MergeEntry): MatchKey {
  const phone = phoneOf(entry);
  if (phone !== null) return { kind: 'PHONE', phone };
  const email = normalEmail(entry.record.email);
  if (email !== null) return { kind: 'EMAIL', email };
  return { kind: 'RECORD', source: entry.source, id: entry.record.id };
}

/** A key as one string, for DataLoader and maps. */
export function keyText(key: MatchKey): string {
  switch (key.kind) {
    case 'PHONE':
      return `phone:${key.phone}`;
    case 'EMAIL':
      return `email:${key.email}`;
    case 'RECORD':
      return `${key.source === 'QUENTLI' ? 'quentli' : 'nxlink'}:${key.id}`;
  }
}

export function parseKeyText(text: string): MatchKey {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const value = text.slice(colon + 1);
  if (kind === 'phone') return { kind: 'PHONE', phone: value };
  if (kind === 'email') return { kind: 'EMAIL', email: value };
  return { kind: 'RECORD', source: kind === 'quentli' ? 'QUENTLI' : 'NXLINK', id: value };
}

export function sameKey(a: MatchKey, b: MatchKey): boolean {
  return keyText(a) === keyText(b);
}

export const quentliEntry = (record: QuentliCustomerRecord): MergeEntry => ({ source: 'QUENTLI', record });
export const nxlinkEntry = (record: NxlinkCustomerRecord): MergeEntry => ({ source: 'NXLINK', record });
