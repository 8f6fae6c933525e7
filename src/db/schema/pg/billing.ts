import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { staffAccounts } from './accounts.ts';
import { patients } from './patients.ts';
import { appointments, services } from './scheduling.ts';

/** The billing area (see schema/sqlite/billing.ts). Amounts are bigints of minor units. */

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });

/** The billing settings as one JSON value (currency, due days, legal details, footer…). */
export const billingSettings = pgTable('billing_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/** A tax rate: a name and basis points (2000 = 20 %), added to prices (exclusive) or inside them (inclusive). */
export const taxRates = pgTable('tax_rates', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  basisPoints: integer('basis_points').notNull(),
  inclusive: boolean('inclusive').notNull(),
  active: boolean('active').notNull(),
  createdAt: instant('created_at').notNull(),
});

/**
 * A service's price: the service's own (`practitioner_id` '') or one practitioner's override; the
 * own row also holds the service's no-show and late-cancellation fees.
 */
export const servicePrices = pgTable(
  'service_prices',
  {
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id),
    /** '' for the service's own price, else a practitioner's account id. */
    practitionerId: text('practitioner_id').notNull(),
    unitPrice: money('unit_price').notNull(),
    taxRateId: text('tax_rate_id').references(() => taxRates.id),
    noShowFee: money('no_show_fee'),
    lateCancelFee: money('late_cancel_fee'),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [uniqueIndex('service_prices_service_practitioner').on(t.serviceId, t.practitionerId)],
);

/** Something sold at the desk (a brace, a cushion). */
export const products = pgTable('products', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  unitPrice: money('unit_price').notNull(),
  taxRateId: text('tax_rate_id').references(() => taxRates.id),
  active: boolean('active').notNull(),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/**
 * An invoice or a credit note (kind `credit_note`: negative amounts, `credits_invoice_id` the
 * invoice it corrects). draft → issued → part_paid → paid, or void. Once issued only `status`,
 * `paid` and `voided_at` change; its number comes from `invoice_counters` in the issuing transaction.
 */
export const invoices = pgTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['invoice', 'credit_note'] }).notNull(),
    number: text('number'),
    status: text('status', { enum: ['draft', 'issued', 'part_paid', 'paid', 'void'] }).notNull(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    appointmentId: text('appointment_id').references(() => appointments.id),
    practitionerId: text('practitioner_id'),
    creditsInvoiceId: text('credits_invoice_id'),
    /** Why it was made: by hand, on an appointment's completion, or a no-show / late-cancellation fee. */
    origin: text('origin', { enum: ['manual', 'appointment', 'no_show', 'late_cancel', 'void'] }).notNull(),
    currency: text('currency').notNull(),
    payerKind: text('payer_kind', { enum: ['patient', 'guardian', 'third_party'] }).notNull(),
    payerPatientId: text('payer_patient_id').references(() => patients.id),
    payerName: text('payer_name').notNull(),
    payerAddress: text('payer_address').notNull(),
    note: text('note').notNull(),
    subtotal: money('subtotal').notNull(),
    taxTotal: money('tax_total').notNull(),
    total: money('total').notNull(),
    paid: money('paid').notNull(),
    dueDate: text('due_date'),
    legalDetails: text('legal_details').notNull(),
    footer: text('footer').notNull(),
    version: integer('version').notNull(),
    createdBy: text('created_by').references(() => staffAccounts.id),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    issuedAt: instant('issued_at'),
    voidedAt: instant('voided_at'),
  },
  (t) => [
    uniqueIndex('invoices_number').on(t.number),
    index('invoices_patient').on(t.patientId, t.createdAt),
    index('invoices_status').on(t.status, t.issuedAt),
    index('invoices_appointment').on(t.appointmentId),
    index('invoices_practitioner').on(t.practitionerId, t.createdAt),
    /** Reports: what was issued in a range (revenue). */
    index('invoices_issued').on(t.issuedAt),
  ],
);

/** A line: a service, a product, a fee or free text, with its discount and tax worked out (money.ts). */
export const invoiceLines = pgTable(
  'invoice_lines',
  {
    id: text('id').primaryKey(),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: text('kind', { enum: ['service', 'product', 'fee', 'text'] }).notNull(),
    serviceId: text('service_id'),
    productId: text('product_id'),
    description: text('description').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    discountBasisPoints: integer('discount_basis_points').notNull(),
    discountAmount: money('discount_amount').notNull(),
    taxRateId: text('tax_rate_id'),
    taxName: text('tax_name').notNull(),
    taxBasisPoints: integer('tax_basis_points').notNull(),
    taxInclusive: boolean('tax_inclusive').notNull(),
    net: money('net').notNull(),
    tax: money('tax').notNull(),
    gross: money('gross').notNull(),
  },
  (t) => [index('invoice_lines_invoice').on(t.invoiceId, t.position)],
);

/** A payment taken (negative: money paid back, on a credit note). */
export const payments = pgTable(
  'payments',
  {
    id: text('id').primaryKey(),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    method: text('method', { enum: ['cash', 'card', 'transfer', 'other', 'credit'] }).notNull(),
    amount: money('amount').notNull(),
    reference: text('reference').notNull(),
    receivedAt: instant('received_at').notNull(),
    createdBy: text('created_by').references(() => staffAccounts.id),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [index('payments_invoice').on(t.invoiceId), index('payments_received').on(t.receivedAt)],
);

/** A patient's credit, as a ledger: + what an overpayment left over, − what was spent on an invoice. */
export const patientCredits = pgTable(
  'patient_credits',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    amount: money('amount').notNull(),
    invoiceId: text('invoice_id').references(() => invoices.id),
    paymentId: text('payment_id').references(() => payments.id),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [index('patient_credits_patient').on(t.patientId)],
);

/** The last number given in a series and year (`INV-2026`), locked in the issuing transaction. */
export const invoiceCounters = pgTable('invoice_counters', {
  key: text('key').primaryKey(),
  last: integer('last').notNull(),
});
