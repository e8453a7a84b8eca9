import { builder } from './builder.ts';
import './customer.ts';
import './quentli-customer.ts';
import './nxlink-customer.ts';

export const schema = builder.toSchema();
