import { z } from 'zod';
import { isCurrency } from './money.ts';

/**
 * Billing (issue 20): inputs as the staff pages and the API send them. Amounts are integers of the
 * clinic currency's minor units; rates and percentage discounts are basis points (2000 = 20 %).
 */
export const invoiceStatuses = ['draft', 'issued', 'part_paid', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];
export const paymentMethods = ['cash', 'card', 'transfer', 'other', 'credit'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** The largest amount accepted anywhere (10^13 minor units: far beyond any clinic's invoice). */
export const MAX_AMOUNT = 10_000_000_000_000;
const id = z.string().trim().min(1).max(64);
const amount = z.int('An amount in minor units (an integer).').min(-MAX_AMOUNT).max(MAX_AMOUNT);
const price = z.int('A price in minor units (an integer).').min(0).max(MAX_AMOUNT);
const basisPoints = z.int('Basis points (an integer: 2000 = 20 %).').min(0).max(10_000);
const day = z.iso.date({ error: 'A date as YYYY-MM-DD.' });

/** Billing settings (one row): the currency, due days, what completing an appointment does, the invoice's texts. */
export const billingSettingsInput = z.strictObject({
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCurrency, 'An ISO 4217 currency code, such as EUR or JPY.'),
  dueDays: z.int().min(0).max(365),
  /** On completing an appointment: make its draft invoice at once, or offer a button. */
  onCompletion: z.enum(['draft', 'button']),
  defaultTaxRateId: id.nullable(),
  /** Further legal mentions (company number, registration, exemptions), printed on every invoice. */
  legalDetails: z.string().trim().max(2000),
  footer: z.string().trim().max(2000),
  /** The clinic's legal name, address, tax (VAT) number and bank details, as printed (empty: left out). */
  legalName: z.string().trim().max(200).default(''),
  legalAddress: z.string().trim().max(1000).default(''),
  taxNumber: z.string().trim().max(100).default(''),
  bankDetails: z.string().trim().max(1000).default(''),
});
export type BillingSettings = z.infer<typeof billingSettingsInput>;
export const defaultBillingSettings: BillingSettings = {
  currency: 'EUR',
  dueDays: 14,
  onCompletion: 'button',
  defaultTaxRateId: null,
  legalDetails: '',
  footer: '',
  legalName: '',
  legalAddress: '',
  taxNumber: '',
  bankDetails: '',
};

/**
 * What an issued invoice prints as the clinic's legal details: the legal name, address, tax
 * number, further mentions and bank details, each on its own line(s), those left empty left out.
 */
export const legalDetailsOf = (s: BillingSettings): string =>
  [s.legalName, s.legalAddress, s.taxNumber, s.legalDetails, s.bankDetails].filter(Boolean).join('\n');

export const taxRateInput = z.strictObject({
  name: z.string().trim().min(1, 'Name the tax rate.').max(80),
  basisPoints,
  inclusive: z.boolean(),
});

/** A change of a tax rate (any of its fields); `active: false` archives it (old lines keep it). */
export const taxRateChange = taxRateInput.partial().extend({ active: z.boolean().optional() });

export const servicePriceInput = z.strictObject({
  /** null: the service's own price; else a practitioner's override. */
  practitionerId: id.nullable().default(null),
  unitPrice: price,
  taxRateId: id.nullable().default(null),
  noShowFee: price.nullable().default(null),
  lateCancelFee: price.nullable().default(null),
});

export const productInput = z.strictObject({
  name: z.string().trim().min(1, 'Name the product.').max(200),
  unitPrice: price,
  taxRateId: id.nullable().default(null),
});

/** A change of a product (any of its fields); `active: false` archives it. */
export const productChange = z.strictObject({
  name: productInput.shape.name.optional(),
  unitPrice: price.optional(),
  taxRateId: id.nullable().optional(),
  active: z.boolean().optional(),
});

/**
 * A service's prices at once: its own price, tax rate and fees, and every practitioner's override
 * (those not listed are removed). Amounts in minor units.
 */
export const servicePricesInput = z.strictObject({
  unitPrice: price,
  taxRateId: id.nullable().default(null),
  noShowFee: price.nullable().default(null),
  lateCancelFee: price.nullable().default(null),
  overrides: z
    .array(z.strictObject({ practitionerId: id, unitPrice: price }))
    .max(200)
    .default([])
    .refine(
      (o) => new Set(o.map((x) => x.practitionerId)).size === o.length,
      'One override per practitioner.',
    ),
});
export type ServicePricesInput = z.input<typeof servicePricesInput>;

/**
 * A line: free text (description and unitPrice), a service (price from the service, or the
 * practitioner's override) or a product (its price and tax), each overridable; a discount in
 * basis points and/or an amount; a tax rate (else the product's or service's, else the default).
 */
export const lineInput = z
  .strictObject({
    /**
     * Only 'fee' may be said (a no-show or late-cancellation fee of `serviceId`, kept through an
     * edit); other kinds follow from what the line names (a service, a product, or free text).
     */
    kind: z.literal('fee', { error: 'Only a fee line may say its kind.' }).optional(),
    description: z.string().trim().max(500).optional(),
    quantity: z.int('A whole quantity.').min(1, 'At least 1.').max(10_000),
    unitPrice: price.optional(),
    serviceId: id.optional(),
    productId: id.optional(),
    discountBasisPoints: basisPoints.optional(),
    discountAmount: price.optional(),
    taxRateId: id.nullable().optional(),
  })
  .refine((l) => l.kind !== 'fee' || (l.serviceId && !l.productId), {
    message: 'A fee line names the service whose fee it is.',
    path: ['serviceId'],
  });
export type LineData = z.infer<typeof lineInput>;

const payerInput = z.strictObject({
  kind: z.enum(['patient', 'guardian', 'third_party']),
  /** The guardian's patient record (kind guardian). */
  patientId: id.optional(),
  /** The third party's (or an override of the patient's) name and address. */
  name: z.string().trim().max(200).optional(),
  address: z.string().trim().max(1000).optional(),
});
export type PayerData = z.infer<typeof payerInput>;

const lines = z.array(lineInput).max(200, 'At most 200 lines.');

/** A draft by hand (`lines`) or from an appointment (`appointmentId`, its service priced). */
export const createInvoiceInput = z
  .strictObject({
    patientId: id.optional(),
    appointmentId: id.optional(),
    practitionerId: id.optional(),
    lines: lines.optional(),
    payer: payerInput.optional(),
    dueDate: day.optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .refine((i) => i.patientId || i.appointmentId, { message: 'Name the patient.', path: ['patientId'] });
export type CreateInvoiceInput = z.input<typeof createInvoiceInput>;

/** A change of a draft; `lines` replaces them all; `version` (optional) the one read. */
export const updateInvoiceInput = z.strictObject({
  version: z.int().min(1).optional(),
  lines: lines.optional(),
  payer: payerInput.optional(),
  dueDate: day.nullable().optional(),
  note: z.string().trim().max(2000).optional(),
});

export const paymentInput = z.strictObject({
  method: z.enum(paymentMethods),
  /** Minor units; negative pays money back (on a credit note). */
  amount: amount.refine((a) => a !== 0, 'An amount other than zero.'),
  reference: z.string().trim().max(200).default(''),
  /** When it was received (default: now). */
  receivedAt: z.iso.datetime({ offset: true }).optional(),
});

/** A credit note: all of the invoice's lines (default) or some of them by position, with quantities. */
export const creditNoteInput = z.strictObject({
  lines: z
    .array(z.strictObject({ position: z.int().min(1), quantity: z.int().min(1).max(10_000).optional() }))
    .max(200)
    .optional(),
  note: z.string().trim().max(2000).optional(),
});
