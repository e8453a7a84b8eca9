import { readFileSync } from 'node:fs';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  print,
  type DefinitionNode,
  type GraphQLNamedType,
} from 'graphql';
import { describe, expect, it } from 'vitest';

// The committed schema.graphql (a test elsewhere proves it is the schema the gateway serves): what
// typed clients generate their code from.
const served = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const contract = parse(readFileSync(new URL('./contract.graphql', import.meta.url), 'utf8'));

type Named = Extract<DefinitionNode, { name: { value: string } }>;
const definitions = contract.definitions.filter(
  (definition): definition is Named => 'name' in definition && definition.name !== undefined,
);

/** Contract entries the served schema cannot be compared on yet, because a type they name is absent. */
function pendingEntries(): string[] {
  const absent = (name: string) => served.getType(name) === undefined;
  const pending: string[] = [];
  for (const definition of definitions) {
    if (absent(definition.name.value)) {
      pending.push(definition.name.value);
      continue;
    }
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      const names = [field.type, ...(field.arguments ?? []).map((argument) => argument.type)].map((type) =>
        namedTypeOf(print(type)),
      );
      if (names.some(absent)) pending.push(`${definition.name.value}.${field.name.value}`);
    }
  }
  return pending.sort();
}

const namedTypeOf = (printed: string) => printed.replace(/[[\]!]/g, '');
const pending = new Set(pendingEntries());

/** Every difference between the contract's definition of a type and the served one. */
function differences(definition: Named): string[] {
  const name = definition.name.value;
  const type: GraphQLNamedType | undefined = served.getType(name);
  if (type === undefined) return [`${name} is missing`];
  const found: string[] = [];
  const compare = (what: string, expected: string, actual: string | undefined) => {
    if (actual === undefined) found.push(`${what} is missing`);
    else if (actual !== expected) found.push(`${what} is ${actual}, the contract says ${expected}`);
  };
  switch (definition.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_DEFINITION: {
      if (!isObjectType(type) && !isInterfaceType(type)) return [`${name} is not an object or interface type`];
      const interfaces = type.getInterfaces().map((implemented) => implemented.name);
      for (const implemented of definition.interfaces ?? []) {
        if (!interfaces.includes(implemented.name.value))
          found.push(`${name} does not implement ${implemented.name.value}`);
      }
      const fields = type.getFields();
      for (const field of definition.fields ?? []) {
        const path = `${name}.${field.name.value}`;
        if (pending.has(path)) continue;
        const servedField = fields[field.name.value];
        compare(path, print(field.type), servedField?.type.toString());
        for (const argument of field.arguments ?? []) {
          const servedArgument = servedField?.args.find((candidate) => candidate.name === argument.name.value);
          compare(`${path}(${argument.name.value})`, print(argument.type), servedArgument?.type.toString());
        }
        const named = new Set((field.arguments ?? []).map((argument) => argument.name.value));
        for (const extra of servedField?.args ?? []) {
          if (!named.has(extra.name) && isNonNullType(extra.type))
            found.push(`${path}(${extra.name}) is required but not in the contract`);
        }
      }
      break;
    }
    case Kind.INPUT_OBJECT_TYPE_DEFINITION: {
      if (!isInputObjectType(type)) return [`${name} is not an input type`];
      const fields = type.getFields();
      for (const field of definition.fields ?? []) {
        compare(`${name}.${field.name.value}`, print(field.type), fields[field.name.value]?.type.toString());
      }
      const named = new Set((definition.fields ?? []).map((field) => field.name.value));
      for (const extra of Object.values(fields)) {
        if (!named.has(extra.name) && isNonNullType(extra.type))
          found.push(`${name}.${extra.name} is required but not in the contract`);
      }
      break;
    }
    case Kind.ENUM_TYPE_DEFINITION: {
      if (!isEnumType(type)) return [`${name} is not an enum`];
      const values = type
        .getValues()
        .map((value) => value.name)
        .sort();
      compare(
        `${name} values`,
        (definition.values ?? [])
          .map((value) => value.name.value)
          .sort()
          .join(' '),
        values.join(' '),
      );
      break;
    }
    default:
      found.push(`${name}: the contract fixture holds a definition this test does not compare`);
  }
  return found;
}

describe("the served schema against the contract's schema", () => {
  it('leaves nothing pending: every type the contract names is served (people included)', () => {
    expect([...pending]).toEqual([]);
  });

  it.each(
    definitions
      .filter((definition) => !pending.has(definition.name.value))
      .map((definition) => [definition.name.value, definition] as const),
  )('%s has every field and argument of the contract, with the same type and nullability', (_name, definition) => {
    expect(differences(definition)).toEqual([]);
  });

  it('has a field named id only on Node types, typed ID! (normalized caches key records by it)', () => {
    const misnamed = Object.values(served.getTypeMap())
      .filter((type) => isObjectType(type) || isInterfaceType(type))
      .filter((type) => {
        const id = type.getFields().id;
        if (id === undefined) return false;
        const isNode = type.name === 'Node' || type.getInterfaces().some((implemented) => implemented.name === 'Node');
        return !isNode || String(id.type) !== 'ID!';
      })
      .map((type) => type.name);
    expect(misnamed).toEqual([]);
  });
});
