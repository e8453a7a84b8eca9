import { GraphQLDeferDirective, GraphQLStreamDirective } from '@graphql-tools/utils';
import { specifiedDirectives } from 'graphql';
import { builder } from './builder.ts';
import './node.ts';
import './customer.ts';
import './quentli-customer.ts';
import './nxlink-customer.ts';
import './person.ts';
import './cross-links.ts';
import './people.ts';
import './customers.ts';
import './mutations.ts';

// `@defer` and `@stream` are part of the schema (and so of schema.graphql, for codegen), with
// the definitions graphql-yoga's defer-stream plugin executes.
export const schema = builder.toSchema({
  directives: [...specifiedDirectives, GraphQLDeferDirective, GraphQLStreamDirective],
});
