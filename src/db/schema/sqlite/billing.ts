import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { staffAccounts } from './accounts.ts';
import { patients } from './patients.ts';
import { appointments, services } from './scheduling.ts';

/**
 * The billing area: its settings, tax rates, prices, products, invoices (and credit notes) with
 * their lines, payments, patients' credit and the invoice number counters. Every amount is an
 * integer of the clinic currency's minor units (cents; yen for JPY).
 */

/** The billing settings as one JSON value (currency, due days, legal details, footer…). */
export const billingSettings = sqliteTable('billing_settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** A tax rate: a name and basis points (2000 = 20 %), added to prices (exclusive) or inside them (inclusive). */
export const taxRates = sqliteTable('tax_rates', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  basisPoints: integer('basis_points').notNull(),
  inclusive: integer('inclusive', { mode: 'boolean' }).notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * A service's price: the service's own (`practitioner_id` '') or one practitioner's override; the
 * own row also holds the service's no-show and late-cancellation fees.
 */
export const servicePrices = sqliteTable(
  'service_prices',
  {
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id),
    /** '' for the service's own price, else a practitioner's account id. */
    practitionerId: text('practitioner_id').notNull(),
    unitPrice: integer('unit_price').notNull(),
    taxRateId: text('tax_rate_id').references(() => taxRates.id),
    noShowFee: integer('no_show_fee'),
    lateCancelFee: integer('late_cancel_fee'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('service_prices_service_practitioner').on(t.serviceId, t.practitionerId)],
);

/** Something sold at the desk (a brace, a cushion). */
export const products = sqliteTable('products', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  unitPrice: integer('unit_price').notNull(),
  taxRateId: text('tax_rate_id').references(() => taxRates.id),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * An invoice or a credit note (kind `credit_note`: negative amounts, `credits_invoice_id` the
 * invoice it corrects). draft → issued → part_paid → paid, or void. Once issued only `status`,
 * `paid` and `voided_at` change; its number comes from `invoice_counters` in the issuing transaction.
 */
export const invoices = sqliteTable(
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
    subtotal: integer('subtotal').notNull(),
    taxTotal: integer('tax_total').notNull(),
    total: integer('total').notNull(),
    paid: integer('paid').notNull(),
    dueDate: text('due_date'),
    legalDetails: text('legal_details').notNull(),
    footer: text('footer').notNull(),
    version: integer('version').notNull(),
    createdBy: text('created_by').references(() => staffAccounts.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    issuedAt: integer('issued_at', { mode: 'timestamp_ms' }),
    voidedAt: integer('voided_at', { mode: 'timestamp_ms' }),
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
export const invoiceLines = sqliteTable(
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
    unitPrice: integer('unit_price').notNull(),
    discountBasisPoints: integer('discount_basis_points').notNull(),
    discountAmount: integer('discount_amount').notNull(),
    taxRateId: text('tax_rate_id'),
    taxName: text('tax_name').notNull(),
    taxBasisPoints: integer('tax_basis_points').notNull(),
    taxInclusive: integer('tax_inclusive', { mode: 'boolean' }).notNull(),
    net: integer('net').notNull(),
    tax: integer('tax').notNull(),
    gross: integer('gross').notNull(),
  },
  (t) => [index('invoice_lines_invoice').on(t.invoiceId, t.position)],
);

/** A payment taken (negative: money paid back, on a credit note). */
export const payments = sqliteTable(
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
    amount: integer('amount').notNull(),
    reference: text('reference').notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
    createdBy: text('created_by').references(() => staffAccounts.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('payments_invoice').on(t.invoiceId), index('payments_received').on(t.receivedAt)],
);

/** A patient's credit, as a ledger: + what an overpayment left over, − what was spent on an invoice. */
export const patientCredits = sqliteTable(
  'patient_credits',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    amount: integer('amount').notNull(),
    invoiceId: text('invoice_id').references(() => invoices.id),
    paymentId: text('payment_id').references(() => payments.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('patient_credits_patient').on(t.patientId)],
);

/** The last number given in a series and year (`INV-2026`), locked in the issuing transaction. */
export const invoiceCounters = sqliteTable('invoice_counters', {
  key: text('key').primaryKey(),
  last: integer('last').notNull(),
});
