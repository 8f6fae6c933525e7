import { z } from '@hono/zod-openapi';
import { type InvoiceView, invoiceStatuses, paymentMethods } from '../../domain/billing/index.ts';
import { id, instant } from './schemas.ts';

/** The JSON of an invoice (or credit note), shared by the staff's routes and the patient app's. */
const minor = z.int().describe('Minor units of the currency (cents; yen for JPY)');

export const invoiceJson = z
  .object({
    id,
    kind: z.enum(['invoice', 'credit_note']),
    number: z.string().nullable().describe('INV-<year>-<00042> once issued; null for a draft'),
    status: z.enum(invoiceStatuses).describe('draft → issued → part_paid → paid, or void'),
    patientId: id,
    appointmentId: id.nullable(),
    practitionerId: id.nullable(),
    creditsInvoiceId: id.nullable().describe('A credit note: the invoice it corrects'),
    origin: z.enum(['manual', 'appointment', 'no_show', 'late_cancel', 'void']),
    currency: z.string().describe('ISO 4217'),
    payer: z.object({
      kind: z.enum(['patient', 'guardian', 'third_party']),
      patientId: id.nullable(),
      name: z.string(),
      address: z.string(),
    }),
    note: z.string(),
    lines: z.array(
      z.object({
        id,
        position: z.int(),
        kind: z.enum(['service', 'product', 'fee', 'text']),
        serviceId: id.nullable(),
        productId: id.nullable(),
        description: z.string(),
        quantity: z.int(),
        unitPrice: minor,
        discountBasisPoints: z.int(),
        discountAmount: minor,
        taxRateId: id.nullable(),
        taxName: z.string(),
        taxBasisPoints: z.int(),
        taxInclusive: z.boolean(),
        net: minor,
        tax: minor,
        gross: minor,
      }),
    ),
    subtotal: minor,
    taxTotal: minor,
    total: minor,
    taxes: z.array(
      z.object({ name: z.string(), basisPoints: z.int(), inclusive: z.boolean(), net: minor, tax: minor }),
    ),
    paid: minor,
    balance: minor,
    payments: z.array(
      z.object({
        id,
        method: z.enum(paymentMethods),
        amount: minor,
        reference: z.string(),
        receivedAt: instant,
      }),
    ),
    dueDate: z.string().nullable(),
    legalDetails: z.string(),
    footer: z.string(),
    version: z.int(),
    createdAt: instant,
    issuedAt: instant.nullable(),
    voidedAt: instant.nullable(),
  })
  .meta({ id: 'Invoice' });

export const withInvoice = z.object({ invoice: invoiceJson });
/** One invoice as staff read it (GET /invoices/{id}): with when it was last emailed to its payer. */
export const withInvoiceRead = z.object({
  invoice: invoiceJson
    .extend({
      lastEmailedAt: instant
        .nullable()
        .describe(
          'When it was last emailed to its payer (the email left: on issue, or sent again); null if never — not yet, still queued, failed, or a payer without an email address',
        ),
    })
    .meta({ id: 'InvoiceRead' }),
});
export const withInvoices = z.object({ invoices: z.array(invoiceJson) });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** An invoice's JSON (withInvoice). */
export const invoiceOut = ({ lastEmailed: _, ...v }: InvoiceView) => ({
  ...v,
  payments: v.payments.map((p) => ({ ...p, receivedAt: p.receivedAt.toISOString() })),
  createdAt: v.createdAt.toISOString(),
  issuedAt: iso(v.issuedAt),
  voidedAt: iso(v.voidedAt),
});

/** One invoice as staff read it (withInvoiceRead): with when it was last emailed. */
export const invoiceReadOut = (v: InvoiceView) => ({
  ...invoiceOut(v),
  lastEmailedAt: iso(v.lastEmailed?.at ?? null),
});
