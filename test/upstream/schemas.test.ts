import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/upstream/errors.ts';
import { parseJson64 } from '../../src/upstream/nxlink/json64.ts';
import { nxlinkCustomerSchema, nxlinkPageSchema } from '../../src/upstream/nxlink/schema.ts';
import {
  quentliCustomerEnvelopeSchema,
  quentliCustomerListSchema,
  quentliCustomerSchema,
} from '../../src/upstream/quentli/schema.ts';
import { formatPath, validateAnswer } from '../../src/upstream/validate.ts';

const quentliRaw = {
  id: 'cmab12cd3000x1a2b3c4d5e6f',
  createdAt: '2025-01-15T10:30:00.000Z',
  updatedAt: '2025-01-16T08:00:00Z',
  name: 'Juan Perez',
  email: 'juan@example',
  phoneNumber: '+52 55 1234',
};

function caught(run: () => unknown): UpstreamError {
  try {
    run();
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

describe('validating Quentli customers', () => {
  it('fills every absent optional field with null (GraphQL answers absent metadata as [])', () => {
    expect(quentliCustomerSchema.parse(quentliRaw)).toEqual({
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
      phoneNumber: '+52 55 1234',
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
    });
  });

  it('passes a typo in an email or phone through unchanged: the gateway returns what Quentli has', () => {
    const record = quentliCustomerSchema.parse({ ...quentliRaw, email: 'juan@@exmaple..com', phoneNumber: 'call me' });
    expect(record.email).toBe('juan@@exmaple..com');
    expect(record.phoneNumber).toBe('call me');
  });

  it('keeps metadata, meta and booleans, and drops fields it does not know', () => {
    const record = quentliCustomerSchema.parse({
      ...quentliRaw,
      metadata: [{ key: 'studentId', value: 'A-1029' }],
      meta: { grade: '5A' },
      emailVerified: false,
      somethingNew: 1,
    });
    expect(record.metadata).toEqual([{ key: 'studentId', value: 'A-1029' }]);
    expect(record.meta).toEqual({ grade: '5A' });
    expect(record.emailVerified).toBe(false);
    expect(record).not.toHaveProperty('somethingNew');
  });

  it('refuses createdAt and updatedAt that are not ISO 8601 instants', () => {
    for (const createdAt of ['2025-01-15 10:30:00', '2025-01-15T10:30:00', '2025-02-30T10:30:00Z', 'yesterday', 17]) {
      expect(quentliCustomerSchema.safeParse({ ...quentliRaw, createdAt }).success, String(createdAt)).toBe(false);
    }
  });

  it('reports a malformed record in a list as UPSTREAM_BAD_RESPONSE naming the field path, not the value', () => {
    const list = [quentliRaw, { ...quentliRaw, createdAt: 'sometime secret-ish' }];
    const error = caught(() => validateAnswer('QUENTLI', 'customer list', quentliCustomerListSchema, list));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.source).toBe('QUENTLI');
    expect(error.message).toContain('Quentli answered with an invalid customer list');
    expect(error.message).toContain('[1].createdAt');
    expect(error.message).toContain('ISO 8601');
    expect(error.message).not.toContain('secret-ish');
    expect(error.details).toEqual([{ path: ['1', 'createdAt'], message: expect.any(String) }]);
  });

  it('names the path inside the create and update envelope', () => {
    const error = caught(() =>
      validateAnswer('QUENTLI', 'customer answer', quentliCustomerEnvelopeSchema, { customer: { ...quentliRaw, id: 5 } }),
    );
    expect(error.message).toContain('customer.id');
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

describe('validating NXLink customers', () => {
  const schema = nxlinkCustomerSchema('America/Mexico_City');

  it("maps the documented example to the gateway's record, 64-bit ids as exact digits", () => {
    expect(schema.parse(nxlinkRaw())).toEqual({
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
        },
      ],
    });
  });

  it('reads customize_field as no custom fields when it is null, empty, not JSON or not an object', () => {
    for (const customize_field of [null, undefined, '', '  ', '{oops', '[1,2]', '"text"', '42', 'null', 7]) {
      expect(schema.parse(nxlinkRaw({ customize_field })).customFields, String(customize_field)).toBeNull();
    }
  });

  it('refuses a created_at that is not an offset-less local time, naming the path', () => {
    const error = caught(() => validateAnswer('NXLINK', 'customer', schema, nxlinkRaw({ created_at: '19/07/2024' })));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).toContain('created_at');
    expect(error.message).not.toContain('19/07/2024');
  });

  it('refuses a local time that does not exist, naming its path, in a record and in a tag', () => {
    const error = caught(() => validateAnswer('NXLINK', 'customer', schema, nxlinkRaw({ updated_at: '2024-02-30T10:00:00' })));
    expect(error.details).toEqual([{ path: ['updated_at'], message: expect.stringMatching(/valid calendar date/) }]);
    const raw = nxlinkRaw();
    const tags = raw.tags as Record<string, unknown>[];
    const inTag = caught(() =>
      validateAnswer('NXLINK', 'customer', schema, { ...raw, tags: [{ ...tags[0], created_at: '2023-02-29T16:45:30' }] }),
    );
    expect(inTag.details).toEqual([{ path: ['tags', '0', 'created_at'], message: expect.stringMatching(/valid calendar date/) }]);
  });

  it('refuses an id that is not an integer', () => {
    expect(schema.safeParse(nxlinkRaw({ id: '1021110718827683840' })).success).toBe(false);
    expect(schema.safeParse(nxlinkRaw({ id: 1.5 })).success).toBe(false);
  });
});

describe('validating an NXLink page', () => {
  const schema = nxlinkPageSchema('UTC');

  it('turns paging cursors into exact digits or null', () => {
    const data = parseJson64(
      `{"paging":{"after":1021110718827683840,"before":9007199254740993,"previous":null,"next":27},"customer_list":[]}`,
    );
    expect(schema.parse(data)).toEqual({
      customers: [],
      paging: { after: '1021110718827683840', before: '9007199254740993', previous: null, next: '27' },
    });
  });

  it('names the path of a bad customer inside the list', () => {
    const data = { paging: null, customer_list: [nxlinkRaw(), nxlinkRaw({ tenant_id: 'x' })] };
    const error = caught(() => validateAnswer('NXLINK', 'customer page', schema, data));
    expect(error.message).toContain('customer_list[1].tenant_id');
  });
});

describe('formatting a field path', () => {
  it('writes indexes in brackets and names after dots', () => {
    expect(formatPath(['data', 'customer_list', 3, 'created_at'])).toBe('data.customer_list[3].created_at');
    expect(formatPath([0, 'id'])).toBe('[0].id');
    expect(formatPath([])).toBe('(root)');
  });
});
