import type { NxlinkCustomerRecord } from '../upstream/nxlink/records.ts';
import type { QuentliCustomerRecord } from '../upstream/quentli/records.ts';
import { toE164 } from '../phone.ts';
import { builder } from './builder.ts';
import { readable } from './errors.ts';

export type CustomerRecord = QuentliCustomerRecord | NxlinkCustomerRecord;

/** Records carry their source as a tag, set where they are read at the edge (upstream/quentli/schema.ts, upstream/nxlink/schema.ts). */
export function isQuentliRecord(value: unknown): value is QuentliCustomerRecord {
  return typeof value === 'object' && value !== null && 'source' in value && value.source === 'QUENTLI';
}

export function isNxlinkRecord(value: unknown): value is NxlinkCustomerRecord {
  return typeof value === 'object' && value !== null && 'source' in value && value.source === 'NXLINK';
}

export const CustomerSourceEnum = builder.enumType('CustomerSource', {
  description: 'The upstream system a customer record comes from.',
  values: {
    QUENTLI: { description: 'Quentli, billing and collections.' },
    NXLINK: { description: 'NXLink, the customer data platform for WhatsApp and other channels.' },
  } as const,
});

export const CustomerRef = builder.interfaceRef<CustomerRecord>('Customer').implement({
  description: 'A customer record of either upstream, with the fields both have in common.',
  interfaces: [builder.nodeInterfaceRef()],
  resolveType: (record) => (isQuentliRecord(record) ? 'QuentliCustomer' : 'NxlinkCustomer'),
  fields: (t) => ({
    source: t.field({
      type: CustomerSourceEnum,
      nullable: false,
      description: 'The upstream this record comes from.',
      resolve: (record) => (isQuentliRecord(record) ? 'QUENTLI' : 'NXLINK'),
    }),
    sourceId: t.string({
      nullable: false,
      description: "The upstream's own id, exactly (NXLink ids are 64-bit integers, as decimal digits).",
      resolve: (record) => record.id,
    }),
    name: t.string({
      nullable: true,
      description: "Quentli's `name`; NXLink's `full_name`.",
      resolve: (record) =>
        isQuentliRecord(record)
          ? readable(record, 'name', 'QUENTLI', record.name)
          : readable(record, 'fullName', 'NXLINK', record.fullName),
    }),
    email: t.string({
      nullable: true,
      description: 'Email address as the upstream holds it (not validated: it may have typos).',
      resolve: (record) => readable(record, 'email', isQuentliRecord(record) ? 'QUENTLI' : 'NXLINK', record.email),
    }),
    phoneNumber: t.string({
      nullable: true,
      description:
        'Primary phone in E.164 with a leading +. NXLink: the WhatsApp phone, else the SMS phone. Null when the upstream did not write it as E.164 (Quentli) or as digits with the country code (NXLink): then `rawPhoneNumber` holds it, and the customer is never linked by it.',
      resolve: (record) => toE164(rawPhoneOf(record)),
    }),
    rawPhoneNumber: t.string({
      nullable: true,
      description:
        'The primary phone exactly as the upstream wrote it (Quentli `phoneNumber`; NXLink `whatsApp_phone`, else `sms_phone`).',
      resolve: (record) => rawPhoneOf(record),
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: false,
      description: 'When the customer was created upstream.',
      resolve: (record) => record.createdAt,
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: false,
      description: 'When the customer was last updated upstream.',
      resolve: (record) => record.updatedAt,
    }),
  }),
});

/** The primary phone as written, or the field error when it could not be read. */
function rawPhoneOf(record: CustomerRecord): string | null {
  if (isQuentliRecord(record)) return readable(record, 'phoneNumber', 'QUENTLI', record.rawPhoneNumber);
  const whatsapp = readable(record, 'whatsappPhone', 'NXLINK', record.whatsappPhone);
  return whatsapp ?? readable(record, 'smsPhone', 'NXLINK', record.smsPhone);
}
