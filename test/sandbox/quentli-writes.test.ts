import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuentliCustomer, Sandbox } from '../../src/sandbox/index.ts';
import { param, quentliList, quentliWrite, start } from './helpers.ts';

type ErrorBody = { error: { code: string; message: string; details?: { path: string[]; message: string }[] } };

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start();
});
afterAll(() => sandbox.close());

const create = (input: unknown) =>
  quentliWrite<{ customer: QuentliCustomer } & ErrorBody>(sandbox, 'POST', '/v1/customers', JSON.stringify(input));
const update = (id: string, input: unknown) =>
  quentliWrite<{ customer: QuentliCustomer } & ErrorBody>(
    sandbox,
    'PATCH',
    `/v1/customers/${id}`,
    JSON.stringify(input),
  );

const FULL_INPUT = {
  name: 'Juan Pérez',
  username: 'juan_perez_sandbox',
  email: 'juan.perez@sandbox.example',
  phoneNumber: '+525512345678',
  secondaryPhoneNumber: '+525598765432',
  acceptedServiceAgreement: true,
  skipTaxInvoice: false,
  assigneeId: 'cmab12cd3000x1a2b3c4d5e6f',
  optedOutWhatsappAt: '2025-01-15T10:30:00.000Z',
  metadata: [{ key: 'studentId', value: 'A-1029' }],
  tags: ['VIP', 'Colegiatura'],
};

describe('Quentli create', () => {
  it('answers 201 with the new customer, created now and listed first', async () => {
    const before = Date.now();
    const { status, json } = await create({ input: FULL_INPUT });
    expect(status).toBe(201);
    const { customer } = json;
    expect(customer).toMatchObject({
      name: 'Juan Pérez',
      username: 'juan_perez_sandbox',
      email: 'juan.perez@sandbox.example',
      phoneNumber: '+525512345678',
      optedOutWhatsappAt: '2025-01-15T10:30:00.000Z',
      metadata: [{ key: 'studentId', value: 'A-1029' }],
      archivedAt: null,
    });
    expect(customer.id).toMatch(/^c[a-z0-9]{24}$/);
    expect(customer.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(customer.createdAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Object.keys(customer)).not.toContain('tags');
    expect(Object.keys(customer)).not.toContain('assigneeId');
    const [first] = (await quentliList<QuentliCustomer[]>(sandbox, 'limit=1')).json;
    expect(first).toEqual(customer);
  });

  it('creates with a name alone', async () => {
    const { status, json } = await create({ input: { name: 'Ana' } });
    expect(status).toBe(201);
    expect(json.customer).toMatchObject({ name: 'Ana', email: null, phoneNumber: null, metadata: [] });
  });

  it('answers 409 CONFLICT when the username is taken', async () => {
    const taken = sandbox.quentli.store.all().find((c) => c.username !== null)?.username;
    const { status, json } = await create({ input: { name: 'Copia', username: taken } });
    expect(status).toBe(409);
    expect(json.error.code).toBe('CONFLICT');
    expect(json.error.details).toEqual([{ path: ['input', 'username'], message: expect.any(String) }]);
  });

  it('answers 409 CONFLICT when the email is taken, whatever its letter case', async () => {
    const taken = sandbox.quentli.store.all().find((c) => c.email !== null)?.email ?? '';
    const { status, json } = await create({ input: { name: 'Copia', email: taken.toUpperCase() } });
    expect(status).toBe(409);
    expect(json.error.details?.[0]?.path).toEqual(['input', 'email']);
  });

  it.each([
    ['a gateway-only field', { input: { name: 'Ana', clientMutationId: 'm1' } }, ['input', 'clientMutationId']],
    ['an update-only field', { input: { name: 'Ana', password: 'S3curePassw0rd!' } }, ['input', 'password']],
    ['a missing name', { input: { email: 'ana@example.com' } }, ['input', 'name']],
    ['a blank name', { input: { name: '   ' } }, ['input', 'name']],
    ['an invalid email', { input: { name: 'Ana', email: 'ana.lopez@@example' } }, ['input', 'email']],
    ['a phone that is not E.164', { input: { name: 'Ana', phoneNumber: '55 1234 5678' } }, ['input', 'phoneNumber']],
    ['malformed metadata', { input: { name: 'Ana', metadata: [{ key: 'a' }] } }, ['input', 'metadata']],
    ['a field outside input', { input: { name: 'Ana' }, clientMutationId: 'm1' }, ['clientMutationId']],
  ])('answers 422 VALIDATION_ERROR for %s, with the path of the field', async (_, body, path) => {
    const { status, json } = await create(body);
    expect(status).toBe(422);
    expect(json.error.code).toBe('VALIDATION_ERROR');
    expect(json.error.details).toContainEqual({ path, message: expect.any(String) });
  });

  it('answers 400 BAD_REQUEST for a body that is not JSON', async () => {
    const { status, json } = await quentliWrite<ErrorBody>(sandbox, 'POST', '/v1/customers', '{"input": ');
    expect(status).toBe(400);
    expect(json.error.code).toBe('BAD_REQUEST');
  });
});

describe('Quentli update', () => {
  it('answers 404 NOT_FOUND for an unknown id', async () => {
    const { status, json } = await update('cunknown00000000000000000', { input: { data: { name: 'X' } } });
    expect(status).toBe(404);
    expect(json.error.code).toBe('NOT_FOUND');
  });

  it('answers 200 with the changed customer and a fresh updatedAt, and lists it so', async () => {
    const target = sandbox.quentli.store.all()[10] as QuentliCustomer;
    const { status, json } = await update(target.id, {
      input: { data: { name: 'María Ñúñez', meta: { grade: '5A' } } },
    });
    expect(status).toBe(200);
    expect(json.customer).toMatchObject({
      id: target.id,
      name: 'María Ñúñez',
      meta: { grade: '5A' },
      createdAt: target.createdAt,
    });
    expect(Date.parse(json.customer.updatedAt)).toBeGreaterThan(Date.parse(target.updatedAt));
    const listed = await quentliList<QuentliCustomer[]>(sandbox, param('filter', `id=${target.id}`));
    expect(listed.json).toEqual([json.customer]);
  });

  it('clears a nullable field given an explicit null and leaves absent fields alone', async () => {
    const target = sandbox.quentli.store
      .all()
      .find((c) => c.email !== null && c.phoneNumber !== null) as QuentliCustomer;
    const { json } = await update(target.id, { input: { data: { email: null } } });
    expect(json.customer.email).toBeNull();
    expect(json.customer.phoneNumber).toBe(target.phoneNumber);
  });

  it('requires an otp to change the password, and then marks the password changed', async () => {
    const target = sandbox.quentli.store.all().find((c) => c.hasChangedPassword === false) as QuentliCustomer;
    const refused = await update(target.id, { input: { data: { password: 'S3curePassw0rd!' } } });
    expect(refused.status).toBe(422);
    expect(refused.json.error.details).toContainEqual({ path: ['input', 'otp'], message: expect.any(String) });
    const accepted = await update(target.id, { input: { data: { password: 'S3curePassw0rd!' }, otp: '123456' } });
    expect(accepted.status).toBe(200);
    expect(accepted.json.customer.hasChangedPassword).toBe(true);
    expect(Object.keys(accepted.json.customer)).not.toContain('password');
  });

  it('records a signature as signatureAcceptedAt', async () => {
    const target = sandbox.quentli.store.all().find((c) => c.signatureAcceptedAt === null) as QuentliCustomer;
    const { json } = await update(target.id, {
      input: { data: { signature: 'signed-by-customer', tosIp: '189.203.12.45' } },
    });
    expect(json.customer.signatureAcceptedAt).not.toBeNull();
  });

  it('answers 409 when the new email belongs to another customer, but not for the own email', async () => {
    const [a, b] = sandbox.quentli.store.all().filter((c) => c.email !== null);
    const conflict = await update(a?.id ?? '', { input: { data: { email: b?.email } } });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.details?.[0]?.path).toEqual(['input', 'data', 'email']);
    const own = await update(a?.id ?? '', { input: { data: { email: a?.email } } });
    expect(own.status).toBe(200);
  });

  it.each([
    ['an unknown data field', { input: { data: { nickname: 'x' } } }, ['input', 'data', 'nickname']],
    ['an invalid email', { input: { data: { email: 'no-at-sign' } } }, ['input', 'data', 'email']],
    ['a field beside data', { input: { data: {}, clientMutationId: 'm1' } }, ['input', 'clientMutationId']],
    ['missing data', { input: { otp: '123456' } }, ['input', 'data']],
  ])('answers 422 for %s, with the path of the field', async (_, body, path) => {
    const target = sandbox.quentli.store.all()[0] as QuentliCustomer;
    const { status, json } = await update(target.id, body);
    expect(status).toBe(422);
    expect(json.error.details).toContainEqual({ path, message: expect.any(String) });
  });
});

describe('Quentli store', () => {
  it('inserts a newest customer that the next list shows first', async () => {
    const inserted = sandbox.quentli.store.insert({ name: 'Insertada' });
    const [first] = (await quentliList<QuentliCustomer[]>(sandbox, 'limit=1')).json;
    expect(first).toEqual(inserted);
  });
});
