import { readFileSync } from 'node:fs';
import { buildSchema, parse, printSchema, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.ts';

describe('schema.graphql', () => {
  it('is the schema the gateway serves (run `npm run schema:print` after changing the schema)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(`${printSchema(schema)}\n`);
  });

  it('describes every type and field', () => {
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (!type.description) undocumented.push(type.name);
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('declares @defer and @stream, so client code generated from it may use them', () => {
    const file = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
    const document = parse(/* GraphQL */ `
      query Deferred {
        customers(first: 10) {
          edges @stream(initialCount: 5) {
            node { id ... on QuentliCustomer { ... @defer(label: "links") { nxlinkProfile { id } } } }
          }
        }
      }
    `);
    expect(validate(file, document).map((error) => error.message)).toEqual([]);
  });
});
