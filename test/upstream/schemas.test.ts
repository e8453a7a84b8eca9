import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/upstream/errors.ts';
import type { UnreadableReporter } from '../../src/upstream/lenient.ts';
import { parseJson64 } from '../../src/upstream/nxlink/json64.ts';
import { readNxlinkCustomer, readNxlinkPage } from '../../src/upstream/nxlink/schema.ts';
import {
  readQuentliCustomer,
  readQuentliCustomerEnvelope,
  readQuentliCustomerList,
} from '../../src/upstream/quentli/schema.ts';
import { formatPath } from '../../src/upstream/validate.ts';

const quentliRaw = {
  id: 'cmab12cd3000x1a2b3c4d5e6f',
  createdAt: '2025-01-15T10:30:00.000Z',
  updatedAt: '2025-01-16T08:00:00Z',
  name: 'Juan Perez',
  email: 'juan@example',
  phoneNumber: '+52 55 1234 5678',
};

const quentli = (overrides: Record<string, unknown> = {}, report?: UnreadableReporter) =>
  readQuentliCustomer({ ...quentliRaw, ...overrides }, '[0]', report);

function caught(run: () => unknown): UpstreamError {
  try {
    run();
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

describe('reading Quentli customers', () => {
  it('fills every absent optional field with null (GraphQL answers absent metadata as [])', () => {
    expect(quentli()).toEqual({
      source: 'QUENTLI',
      id: 'cmab12cd3000x1a2b3c4d5e6f',
      createdAt: '2025-01-15T10:30:00.000Z',
      updatedAt: '2025-01-16T08:00:00Z',
      name: 'Juan Perez',
      username: null,
      organizationId: null,
      acceptedServiceAgreement: null,
      skipTaxInvoice: null,
      emailVerified: null,
      phoneNumberVerified: null,
      hasChangedPassword: null,
      email: 'juan@example',
      phoneNumber: '+525512345678',
      rawPhoneNumber: '+52 55 1234 5678',
      secondaryPhoneNumber: null,
      archivedAt: null,
      archivedById: null,
      signatureAcceptedAt: null,
      optedOutWhatsappAt: null,
      optedInWhatsappAt: null,
      startedWhatsappAt: null,
      replyWithAssistant: null,
      metadata: null,
      meta: null,
      unreadable: null,
    });
  });

  it('passes a typo in an email through unchanged, and keeps a phone that is not E.164 only as raw text', () => {
    const record = quentli({ email: 'juan@@exmaple..com', phoneNumber: '5512345678' });
    expect(record.email).toBe('juan@@exmaple..com');
    expect(record.phoneNumber).toBeNull();
    expect(record.rawPhoneNumber).toBe('5512345678');
    expect(record.unreadable).toBeNull();
  });

  it('keeps metadata (a null value too), meta and booleans, and ignores fields it does not know', () => {
    const record = quentli({
      metadata: [
        { key: 'studentId', value: 'A-1029' },
        { key: 'note', value: null },
      ],
      meta: { grade: '5A' },
      emailVerified: false,
      somethingNew: 1,
    });
    expect(record.metadata).toEqual([
      { key: 'studentId', value: 'A-1029' },
      { key: 'note', value: null },
    ]);
    expect(record.meta).toEqual({ grade: '5A' });
    expect(record.emailVerified).toBe(false);
    expect(record).not.toHaveProperty('somethingNew');
  });

  it('reads instants with Z, z, an offset, with or without fractions or seconds', () => {
    expect(quentli({ createdAt: '2025-01-15T10:30:00.123456Z' }).createdAt).toBe('2025-01-15T10:30:00.123456Z');
    expect(quentli({ createdAt: '2025-01-15T10:30:00+00:00' }).createdAt).toBe('2025-01-15T10:30:00.000Z');
    expect(quentli({ createdAt: '2025-01-15T04:30:00-06:00' }).createdAt).toBe('2025-01-15T10:30:00.000Z');
    expect(quentli({ createdAt: '2025-01-15t10:30:00.5z' }).createdAt).toBe('2025-01-15T10:30:00.500Z');
    expect(quentli({ createdAt: '2025-01-15T10:30+0100' }).createdAt).toBe('2025-01-15T09:30:00.000Z');
    expect(quentli({ archivedAt: '2025-01-15 10:30:00' }).archivedAt).toBe('2025-01-15T10:30:00Z');
  });

  it('reads booleans written as text or 0/1', () => {
    const record = quentli({
      emailVerified: 'true',
      skipTaxInvoice: 'false',
      hasChangedPassword: 1,
      replyWithAssistant: '0',
    });
    expect([record.emailVerified, record.skipTaxInvoice, record.hasChangedPassword, record.replyWithAssistant]).toEqual(
      [true, false, true, false],
    );
    expect(record.unreadable).toBeNull();
  });

  it('makes a value it cannot read null, names the field, and reports the record once without values', () => {
    const reports: unknown[] = [];
    const record = quentli(
      {
        emailVerified: 'maybe',
        archivedAt: 'last tuesday',
        meta: 'x',
        metadata: [{ value: 'no key' }],
        phoneNumber: { n: 1 },
      },
      (report) => reports.push(report),
    );
    expect(record.emailVerified).toBeNull();
    expect(record.archivedAt).toBeNull();
    expect(record.meta).toBeNull();
    expect(record.metadata).toBeNull();
    expect(record.phoneNumber).toBeNull();
    expect(record.name).toBe('Juan Perez');
    expect([...(record.unreadable ?? [])].sort()).toEqual([
      'archivedAt',
      'emailVerified',
      'meta',
      'metadata',
      'phoneNumber',
      'rawPhoneNumber',
    ]);
    expect(reports).toEqual([{ source: 'QUENTLI', recordId: quentliRaw.id, fields: record.unreadable }]);
    expect(JSON.stringify(reports)).not.toContain('last tuesday');
  });

  it('refuses createdAt and updatedAt that are not instants, and an id that is not text: paging rests on them', () => {
    for (const createdAt of ['2025-01-15', '2025-02-30T10:30:00Z', 'yesterday', 17, null]) {
      expect(() => quentli({ createdAt }), String(createdAt)).toThrow(UpstreamError);
    }
    expect(() => quentli({ id: 5 })).toThrow(UpstreamError);
    expect(() => quentli({ updatedAt: undefined })).toThrow(UpstreamError);
  });

  it('reports a malformed record in a list as UPSTREAM_BAD_RESPONSE naming the field path, not the value', () => {
    const list = [quentliRaw, { ...quentliRaw, createdAt: 'sometime secret-ish' }];
    const error = caught(() => readQuentliCustomerList(list));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.source).toBe('QUENTLI');
    expect(error.message).toContain('[1].createdAt');
    expect(error.message).toContain('ISO 8601');
    expect(error.message).not.toContain('secret-ish');
  });

  it('names the path inside the create and update envelope', () => {
    expect(caught(() => readQuentliCustomerEnvelope({ customer: { ...quentliRaw, id: 5 } })).message).toContain(
      'customer.id',
    );
    expect(caught(() => readQuentliCustomerEnvelope({})).message).toContain('customer');
  });
});

const nxlinkText = `{
  "id": 1021110718827683840, "first_name": "Simon", "last_name": null, "full_name": "Simon",
  "sms_phone": null, "whatsApp_phone": "861360301975912", "email": "simon@exmaple,com",
  "country": "CN", "source_type": 3, "source_channel_key": "18506008399", "gender": null,
  "created_at": "2024-07-19T17:29:27", "status": 1, "updated_at": "2024-07-30T17:56:39",
  "web": "https://www.example.com",
  "tags": [{ "id": 27237, "user_id": 195, "tenant_id": 123, "group_id": 0, "group_name": null,
    "tag_name": "test", "note": "", "created_at": "2023-02-15T16:45:30",
    "updated_at": "2023-02-15T16:45:30", "customer_id": 1021110718827683840 }],
  "whatApp_subscribe": "1", "sms_subscribe": "1",
  "customize_field": "{\\"customize_4_52\\": [\\"1\\"]}", "tenant_id": 9007199254740993, "weight": 5
}`;

function nxlinkRaw(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(parseJson64(nxlinkText) as Record<string, unknown>), ...overrides };
}

const nxlink = (overrides: Record<string, unknown> = {}, report?: UnreadableReporter) =>
  readNxlinkCustomer(nxlinkRaw(overrides), 'data.customer_list[0]', 'America/Mexico_City', report);

describe('reading NXLink customers', () => {
  it("maps the documented example to the gateway's record, 64-bit ids as exact digits", () => {
    expect(nxlink()).toEqual({
      source: 'NXLINK',
      id: '1021110718827683840',
      firstName: 'Simon',
      lastName: null,
      fullName: 'Simon',
      smsPhone: null,
      whatsappPhone: '861360301975912',
      viberPhone: null,
      line: null,
      messenger: null,
      instagram: null,
      email: 'simon@exmaple,com',
      country: 'CN',
      birthday: null,
      remark: null,
      sourceType: 3,
      sourceChannelKey: '18506008399',
      gender: null,
      createdAt: '2024-07-19T23:29:27.000Z',
      updatedAt: '2024-07-30T23:56:39.000Z',
      status: 1,
      whatsappSubscribed: '1',
      smsSubscribed: '1',
      customFields: { customize_4_52: ['1'] },
      customFieldsText: '{"customize_4_52": ["1"]}',
      tenantId: '9007199254740993',
      weight: '5',
      web: 'https://www.example.com',
      tags: [
        {
          tagId: '27237',
          tagName: 'test',
          groupId: '0',
          groupName: null,
          note: '',
          createdAt: '2023-02-15T22:45:30.000Z',
          updatedAt: '2023-02-15T22:45:30.000Z',
          unreadable: null,
        },
      ],
      unreadable: null,
    });
  });

  it('reads customize_field as no custom fields when absent, empty, not JSON or not an object, keeping its text', () => {
    for (const customize_field of [null, undefined, '', '  ', '{oops', '[1,2]', '"text"', '42', 'null', '1']) {
      const record = nxlink({ customize_field });
      expect(record.customFields, String(customize_field)).toBeNull();
      expect(record.customFieldsText).toBe(customize_field ?? null);
      expect(record.unreadable).toBeNull();
    }
    const { customize_field: _, ...withoutKey } = nxlinkRaw();
    expect(readNxlinkCustomer(withoutKey, 'c', 'UTC').customFields).toBeNull();
  });

  it('lets an offset or Z in a time win over the configured zone, and reads the local form in the zone', () => {
    expect(nxlink({ created_at: '2024-07-19T17:29:27Z' }).createdAt).toBe('2024-07-19T17:29:27Z');
    expect(nxlink({ created_at: '2024-07-19T17:29:27+08:00' }).createdAt).toBe('2024-07-19T09:29:27.000Z');
    expect(nxlink({ created_at: '2024-07-19 17:29:27' }).createdAt).toBe('2024-07-19T23:29:27.000Z');
    expect(nxlink({ created_at: '2024-07-19T17:29:27.250' }).createdAt).toBe('2024-07-19T23:29:27.250Z');
  });

  it('reads numbers sent as text, and a tag with an empty created_at as no time', () => {
    const tags = nxlinkRaw().tags as Record<string, unknown>[];
    const record = nxlink({
      gender: '1',
      status: '0',
      source_type: ' 3 ',
      weight: '12',
      tags: [{ ...tags[0], created_at: '' }],
    });
    expect([record.gender, record.status, record.sourceType, record.weight]).toEqual([1, 0, 3, '12']);
    expect(record.tags[0]?.createdAt).toBeNull();
    expect(record.unreadable).toBeNull();
  });

  it('makes a value it cannot read null, names the field (a tag field on its tag), and reports the record once', () => {
    const reports: { fields: readonly string[] }[] = [];
    const tags = nxlinkRaw().tags as Record<string, unknown>[];
    const record = nxlink(
      { gender: 'female', email: { address: 'x' }, customize_field: ['a'], tags: [{ ...tags[0], updated_at: 'soon' }] },
      (report) => reports.push(report),
    );
    expect(record.gender).toBeNull();
    expect(record.email).toBeNull();
    expect(record.customFieldsText).toBeNull();
    expect(record.fullName).toBe('Simon');
    expect([...(record.unreadable ?? [])].sort()).toEqual([
      'customFields',
      'customFieldsText',
      'email',
      'gender',
      'tags.updatedAt',
    ]);
    expect(record.tags[0]?.unreadable).toEqual(['updatedAt']);
    expect(record.tags[0]?.tagName).toBe('test');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toEqual({ source: 'NXLINK', recordId: '1021110718827683840', fields: record.unreadable });
  });

  it('refuses a created_at that is not a time, naming the path and not the value', () => {
    const error = caught(() => nxlink({ created_at: '19/07/2024' }));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).toContain('created_at');
    expect(error.message).not.toContain('19/07/2024');
    expect(() => nxlink({ updated_at: '2024-02-30T10:00:00' })).toThrow(/updated_at/);
  });

  it('refuses ids, tenant ids and tag ids that are not bare integers: they must round-trip exactly', () => {
    expect(() => nxlink({ id: '1021110718827683840' })).toThrow(/\.id/);
    expect(() => nxlink({ id: 1.5 })).toThrow(UpstreamError);
    expect(() => nxlink({ tenant_id: 'x' })).toThrow(/tenant_id/);
    const tags = nxlinkRaw().tags as Record<string, unknown>[];
    expect(() => nxlink({ tags: [{ ...tags[0], id: 'abc' }] })).toThrow(/tags\[0\]\.id/);
  });
});

describe('reading an NXLink page', () => {
  it('turns paging cursors into exact digits or null', () => {
    const data = parseJson64(
      `{"paging":{"after":1021110718827683840,"before":9007199254740993,"previous":null,"next":27},"customer_list":[]}`,
    );
    expect(readNxlinkPage(data, 'UTC')).toEqual({
      customers: [],
      paging: { after: '1021110718827683840', before: '9007199254740993', previous: null, next: '27' },
    });
  });

  it('serves the other records of a page with one unreadable field', () => {
    const data = { paging: null, customer_list: [nxlinkRaw(), nxlinkRaw({ status: 'enabled' }), nxlinkRaw()] };
    const page = readNxlinkPage(data, 'UTC');
    expect(page.customers.map((customer) => customer.unreadable)).toEqual([null, ['status'], null]);
  });

  it('names the path of a customer whose strict fields are wrong', () => {
    const data = { paging: null, customer_list: [nxlinkRaw(), nxlinkRaw({ tenant_id: 'x' })] };
    expect(caught(() => readNxlinkPage(data, 'UTC')).message).toContain('customer_list[1].tenant_id');
  });
});

describe('formatting a field path', () => {
  it('writes indexes in brackets and names after dots', () => {
    expect(formatPath(['data', 'customer_list', 3, 'created_at'])).toBe('data.customer_list[3].created_at');
    expect(formatPath([0, 'id'])).toBe('[0].id');
    expect(formatPath([])).toBe('(root)');
  });
});
