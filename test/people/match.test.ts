import { describe, expect, it } from 'vitest';
import { keyText, matchKeyOf, parseKeyText } from '../../src/people/match.ts';
import { personOf } from '../../src/people/person.ts';
import type { NxlinkCustomerRecord } from '../../src/upstream/nxlink/records.ts';
import type { QuentliCustomerRecord } from '../../src/upstream/quentli/records.ts';

const quentli = (fields: Partial<QuentliCustomerRecord>) => ({
  source: 'QUENTLI' as const,
  record: {
    id: 'cq1',
    createdAt: '2026-01-01T00:00:00.000Z',
    phoneNumber: null,
    email: null,
    unreadable: null,
    ...fields,
  } as QuentliCustomerRecord,
});
const nxlink = (fields: Partial<NxlinkCustomerRecord>) => ({
  source: 'NXLINK' as const,
  record: {
    id: '1',
    createdAt: '2026-01-01T00:00:00.000Z',
    whatsappPhone: null,
    smsPhone: null,
    email: null,
    unreadable: null,
    ...fields,
  } as NxlinkCustomerRecord,
});
const key = (entry: Parameters<typeof matchKeyOf>[0]) => keyText(matchKeyOf(entry));

describe('The matching rule', () => {
  it("joins Quentli's E.164 phone with NXLink's WhatsApp digits, else its SMS digits", () => {
    expect(key(quentli({ phoneNumber: '+525512345678' }))).toBe('phone:+525512345678');
    expect(key(nxlink({ whatsappPhone: '525512345678', smsPhone: '525599999999' }))).toBe('phone:+525512345678');
    expect(key(nxlink({ smsPhone: '525512345678' }))).toBe('phone:+525512345678');
  });

  it('uses the email, trimmed and case-insensitive, only for records without a usable phone', () => {
    expect(key(quentli({ email: ' Ana.Diaz@Example.MX ' }))).toBe('email:ana.diaz@example.mx');
    expect(key(nxlink({ whatsappPhone: 'call me', email: 'ana.diaz@example.mx' }))).toBe('email:ana.diaz@example.mx');
    expect(key(quentli({ phoneNumber: '+525512345678', email: 'ana.diaz@example.mx' }))).toBe('phone:+525512345678');
  });

  it('never guesses: an unreadable WhatsApp phone is no phone, and a record with nothing is its own person', () => {
    expect(key(nxlink({ smsPhone: '525512345678', unreadable: ['whatsappPhone'] }))).toBe('nxlink:1');
    expect(key(nxlink({ email: '  ' }))).toBe('nxlink:1');
    expect(key(quentli({}))).toBe('quentli:cq1');
  });

  it('reads back every key it writes', () => {
    for (const text of ['phone:+525512345678', 'email:a:b@example.mx', 'quentli:cq1', 'nxlink:9223372036854775807']) {
      expect(keyText(parseKeyText(text))).toBe(text);
    }
  });
});

describe('A person of records', () => {
  it('keeps only the records of its key, once each, newest first, and knows its oldest', () => {
    const phone = { kind: 'PHONE' as const, phone: '+525512345678' };
    const older = nxlink({ id: '7', whatsappPhone: '525512345678', createdAt: '2025-01-01T00:00:00.000Z' });
    const newer = quentli({ phoneNumber: '+525512345678', createdAt: '2026-02-01T00:00:00.000Z' });
    const stranger = quentli({ id: 'cq2', phoneNumber: '+525500000000' });
    const person = personOf(phone, [newer, older, stranger, older])!;
    expect(person.records.map((entry) => entry.record.id)).toEqual(['cq1', '7']);
    expect(person.oldest).toBe(older);
    expect(personOf(phone, [stranger])).toBeNull();
  });
});
