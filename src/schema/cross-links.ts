import { toE164, toNxlinkPhone } from '../phone.ts';
import { builder } from './builder.ts';
import { NxlinkCustomerRef } from './nxlink-customer.ts';
import { QuentliCustomerRef } from './quentli-customer.ts';

// The same person in both systems shares the primary phone: Quentli's `phoneNumber` (E.164)
// is NXLink's WhatsApp phone (digits). Look-ups of one page batch into one Quentli call and one
// NXLink query per distinct phone.

builder.objectField(QuentliCustomerRef, 'nxlinkProfile', (t) =>
  t.field({
    type: NxlinkCustomerRef,
    nullable: true,
    description: 'The NXLink customer whose WhatsApp phone is this `phoneNumber`; null when there is none.',
    resolve: (record, _args, context) => {
      const phone = toE164(record.phoneNumber);
      return phone === null ? null : context.loaders.nxlink.byWhatsappPhone.load(toNxlinkPhone(phone));
    },
  }),
);

builder.objectField(NxlinkCustomerRef, 'quentliCustomer', (t) =>
  t.field({
    type: QuentliCustomerRef,
    nullable: true,
    description: 'The Quentli customer whose `phoneNumber` is this WhatsApp phone; null when there is none.',
    resolve: (record, _args, context) => {
      const phone = toE164(record.whatsappPhone);
      return phone === null ? null : context.loaders.quentli.byPhone.load(phone);
    },
  }),
);
