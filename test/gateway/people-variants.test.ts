import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import type { TestGateway } from '../support/gateway.ts';
import { allRecords, recordsOf, truthPeople, walkPeople } from '../support/people.ts';
import { startVariant, VARIANTS } from '../support/variants.ts';

/**
 * `people` against the sandboxes that read the upstream pages the other plausible way: each
 * walk lists the people that the rule makes of that sandbox's own records, once each, in order.
 * Field errors of odd records (a value nothing can read) are expected beside the data: such a
 * value is no phone and no email, for the rule too.
 */
describe.each(VARIANTS)('people against a sandbox with $name', (variant) => {
  let running: { sandbox: Sandbox; gateway: TestGateway };
  beforeAll(async () => {
    running = await startVariant(variant);
  });
  afterAll(async () => {
    await running.gateway.close();
    await running.sandbox.close();
  });

  it.each(['forward', 'backward'] as const)(
    'a full %s walk lists every person once, with exactly its records',
    async (direction) => {
      const truth = truthPeople(await allRecords(running.gateway));
      const errors: { extensions?: Record<string, unknown> }[] = [];
      const people = await walkPeople(running.gateway, { direction, size: 20, errors: errors as unknown[] });
      expect(people.map(recordsOf)).toEqual(truth.map((person) => person.records));
      expect(truth.some((person) => person.records.length > 1)).toBe(true);
      for (const error of errors) expect(error.extensions?.code).toBe('UPSTREAM_BAD_RESPONSE');
    },
  );
});
