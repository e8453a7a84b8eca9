import { describe, expect, it } from 'vitest';
import type { FieldOf } from '../../src/schema/errors.ts';
import type { NxlinkCustomerRecord } from '../../src/upstream/nxlink/records.ts';
import type { QuentliCustomerRecord } from '../../src/upstream/quentli/records.ts';

// `npm run typecheck` is this spec's real run: each @ts-expect-error fails the type check when
// the line after it compiles, that is when a field helper would take a field of the wrong type.
describe('typed field helpers (FieldOf)', () => {
  it('take the fields of their own type', () => {
    const text: FieldOf<QuentliCustomerRecord, string> = 'username';
    const flag: FieldOf<QuentliCustomerRecord, boolean> = 'emailVerified';
    const integer: FieldOf<NxlinkCustomerRecord, number> = 'sourceType';
    expect([text, flag, integer]).toEqual(['username', 'emailVerified', 'sourceType']);
  });

  it('refuse, at compile time, a field of another type', () => {
    // @ts-expect-error a text field is no flag
    const textAsFlag: FieldOf<QuentliCustomerRecord, boolean> = 'username';
    // @ts-expect-error a flag is no text
    const flagAsText: FieldOf<QuentliCustomerRecord, string> = 'emailVerified';
    // @ts-expect-error a number is no text
    const numberAsText: FieldOf<NxlinkCustomerRecord, string> = 'sourceType';
    // @ts-expect-error a list is no text
    const listAsText: FieldOf<QuentliCustomerRecord, string> = 'metadata';
    expect([textAsFlag, flagAsText, numberAsText, listAsText]).toHaveLength(4);
  });
});
