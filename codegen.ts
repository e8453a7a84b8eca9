import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed client code from the committed schema.graphql: the client preset turns every
 * `graphql(...)` document under examples/ into a typed document an app imports from
 * examples/gql. An app of your own points `documents` at its sources and `generates` at a
 * folder of its own.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/**/*.ts', '!examples/gql/**'],
  ignoreNoDocuments: true,
  // ESM imports with extensions, as Node and this repository's tsconfig want them.
  emitLegacyCommonJSImports: false,
  generates: {
    'examples/gql/': {
      preset: 'client',
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: {
          DateTime: 'string',
          EmailAddress: 'string',
          PhoneNumber: 'string',
          IP: 'string',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
  },
};

export default config;
