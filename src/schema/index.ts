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

export const schema = builder.toSchema();
