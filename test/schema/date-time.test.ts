import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';

const dateTime = schema.getType('DateTime');
if (dateTime === undefined || !('serialize' in dateTime)) throw new Error('the schema has no DateTime scalar');

describe('DateTime output', () => {
  it('writes an instant already in ISO form with milliseconds exactly as given', () => {
    expect(dateTime.serialize('2025-01-15T10:30:00.123Z')).toBe('2025-01-15T10:30:00.123Z');
  });

  it('leaves any other form to graphql-scalars, which reads it as a Date', () => {
    expect(JSON.stringify(dateTime.serialize('2025-01-15T10:30:00Z'))).toBe('"2025-01-15T10:30:00.000Z"');
    expect(JSON.stringify(dateTime.serialize(new Date(Date.UTC(2025, 0, 15))))).toBe('"2025-01-15T00:00:00.000Z"');
  });

  it('refuses a string that is not a date-time', () => {
    expect(() => dateTime.serialize('yesterday')).toThrow(/DateTime cannot represent/);
  });
});
