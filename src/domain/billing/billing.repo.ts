import { and, asc, desc, eq, inArray, isNotNull, ne, notInArray, type SQL, sql } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { lockRow } from '../../db/locks.ts';
import {
  deleteWhere,
  findRow,
  firstRow,
  hasRow,
  insertRow,
  rowsWhereIn,
  updateRow,
  upsertRow,
} from '../../db/rows.ts';
import type { InvoiceStatus } from './billing.schema.ts';

/**
 * Every query of the billing area's tables (billing_settings, tax_rates, service_prices, products,
 * invoices, invoice_lines, payments, patient_credits, invoice_counters); no other file names them.
 */
type Tables = typeof import('../../db/schema/sqlite.ts');
export type InvoiceRow = Tables['invoices']['$inferSelect'];
export type NewInvoiceRow = Tables['invoices']['$inferInsert'];
export type LineRow = Tables['invoiceLines']['$inferSelect'];
export type PaymentRow = Tables['payments']['$inferSelect'];
export type TaxRateRow = Tables['taxRates']['$inferSelect'];
export type ProductRow = Tables['products']['$inferSelect'];
export type ServicePriceRow = Tables['servicePrices']['$inferSelect'];

// ------------------------------------------------------------------- settings

/**
 * The rows of billing_settings, one per key: `billing`, the settings; `logo`, the clinic's logo
 * (`{ dataUrl }`) — a row of its own, so that reading the settings (every invoice made, every
 * form) never reads a half-megabyte image with them.
 */
export type BillingSettingsKey = 'billing' | 'logo';

/** The value stored under `key`, or null. */
export async function findBillingSettingsValue(ctx: DbCtx, key: BillingSettingsKey): Promise<unknown> {
  const s = ctx.t.billingSettings;
  const row = await findRow(ctx, s, eq(s.key, key));
  return row?.value ?? null;
}

export async function upsertBillingSettings(
  ctx: DbCtx,
  key: BillingSettingsKey,
  value: unknown,
  at: Date,
): Promise<void> {
  const s = ctx.t.billingSettings;
  await upsertRow(ctx, s, { key, value, updatedAt: at }, s.key, { value, updatedAt: at });
}

/** Removes the value stored under `key`; answers whether there was one. */
export async function deleteBillingSettingsValue(ctx: DbCtx, key: BillingSettingsKey): Promise<boolean> {
  const s = ctx.t.billingSettings;
  return (await deleteWhere(ctx, s, eq(s.key, key))) > 0;
}

// ------------------------------------------------------------------- tax rates, prices, products

export const insertTaxRate = (ctx: DbCtx, row: TaxRateRow) => insertRow(ctx, ctx.t.taxRates, row);
export const findTaxRate = (ctx: DbCtx, id: string) =>
  findRow(ctx, ctx.t.taxRates, eq(ctx.t.taxRates.id, id));
export const listTaxRates = (ctx: DbCtx): Promise<TaxRateRow[]> =>
  ctx.db.select().from(ctx.t.taxRates).orderBy(asc(ctx.t.taxRates.name));

/** Sets a service's price ('' practitioner: its own) — one row per service and practitioner. */
export async function upsertServicePrice(ctx: DbCtx, row: ServicePriceRow): Promise<void> {
  const p = ctx.t.servicePrices;
  const { serviceId: _s, practitionerId: _p, ...changes } = row;
  await upsertRow(ctx, p, row, [p.serviceId, p.practitionerId], changes);
}

/** The price rows of a service: its own ('') and the practitioners' overrides. */
export function listServicePrices(ctx: DbCtx, serviceId: string): Promise<ServicePriceRow[]> {
  const p = ctx.t.servicePrices;
  return ctx.db.select().from(p).where(eq(p.serviceId, serviceId)).orderBy(asc(p.practitionerId));
}

export const insertProduct = (ctx: DbCtx, row: ProductRow) => insertRow(ctx, ctx.t.products, row);
export const findProduct = (ctx: DbCtx, id: string) =>
  findRow(ctx, ctx.t.products, eq(ctx.t.products.id, id));
export const listProducts = (ctx: DbCtx): Promise<ProductRow[]> =>
  ctx.db.select().from(ctx.t.products).orderBy(asc(ctx.t.products.name));

export const updateTaxRateRow = (ctx: DbCtx, id: string, changes: Partial<TaxRateRow>) =>
  updateRow(ctx, ctx.t.taxRates, eq(ctx.t.taxRates.id, id), changes);
export const updateProductRow = (ctx: DbCtx, id: string, changes: Partial<ProductRow>) =>
  updateRow(ctx, ctx.t.products, eq(ctx.t.products.id, id), changes);

/** Every service's price rows (own and overrides), for the billing settings' overview. */
export const listAllServicePrices = (ctx: DbCtx): Promise<ServicePriceRow[]> =>
  ctx.db.select().from(ctx.t.servicePrices).orderBy(asc(ctx.t.servicePrices.serviceId));

/** Removes a service's practitioner overrides but those of `keep`. */
export function deleteServicePriceOverrides(ctx: DbCtx, serviceId: string, keep: readonly string[]) {
  const p = ctx.t.servicePrices;
  return deleteWhere(
    ctx,
    p,
    and(
      eq(p.serviceId, serviceId),
      ne(p.practitionerId, ''),
      keep.length ? notInArray(p.practitionerId, [...keep]) : undefined,
    ),
  );
}

/** Whether any invoice or credit note was issued (the currency is then fixed). */
export const hasIssuedInvoice = (ctx: DbCtx): Promise<boolean> =>
  hasRow(ctx, ctx.t.invoices, isNotNull(ctx.t.invoices.number));

// ------------------------------------------------------------------- invoices and lines

export const insertInvoice = (ctx: DbCtx, row: NewInvoiceRow) => insertRow(ctx, ctx.t.invoices, row);
export const findInvoiceById = (ctx: DbCtx, id: string) =>
  findRow(ctx, ctx.t.invoices, eq(ctx.t.invoices.id, id));

/** Changes an invoice still at `version` and in one of `statuses` (bumping its version); null when it moved. */
export function updateInvoiceAt(
  ctx: DbCtx,
  id: string,
  version: number,
  statuses: readonly InvoiceStatus[],
  changes: Partial<NewInvoiceRow>,
): Promise<InvoiceRow | null> {
  const i = ctx.t.invoices;
  return updateRow(ctx, i, and(eq(i.id, id), eq(i.version, version), inArray(i.status, [...statuses])), {
    ...changes,
    version: version + 1,
  });
}

/** Invoices (newest first) of these patients, or of one practitioner, or all: at most `limit`. */
export function listInvoices(
  ctx: DbCtx,
  filter: { patientIds?: readonly string[]; practitionerId?: string; status?: InvoiceStatus; limit: number },
): Promise<InvoiceRow[]> {
  const i = ctx.t.invoices;
  const where: SQL[] = [];
  if (filter.patientIds) {
    if (filter.patientIds.length === 0) return Promise.resolve([]);
    where.push(inArray(i.patientId, [...filter.patientIds]));
  }
  if (filter.practitionerId) where.push(eq(i.practitionerId, filter.practitionerId));
  if (filter.status) where.push(eq(i.status, filter.status));
  return ctx.db
    .select()
    .from(i)
    .where(and(...where))
    .orderBy(desc(i.createdAt), desc(i.id))
    .limit(filter.limit);
}

/** The open drafts made for an appointment with this origin (one per appointment and origin). */
export function findDraftOfAppointment(ctx: DbCtx, appointmentId: string, origin: InvoiceRow['origin']) {
  const i = ctx.t.invoices;
  return findRow(
    ctx,
    i,
    and(eq(i.appointmentId, appointmentId), eq(i.origin, origin), eq(i.status, 'draft')),
  );
}

export async function insertLines(ctx: DbCtx, rows: LineRow[]): Promise<void> {
  if (rows.length) await ctx.db.insert(ctx.t.invoiceLines).values(rows);
}

export const deleteLinesOf = (ctx: DbCtx, invoiceId: string) =>
  deleteWhere(ctx, ctx.t.invoiceLines, eq(ctx.t.invoiceLines.invoiceId, invoiceId));

export function listLinesOf(ctx: DbCtx, invoiceIds: readonly string[]): Promise<LineRow[]> {
  const l = ctx.t.invoiceLines;
  return rowsWhereIn(ctx, l, l.invoiceId, invoiceIds, [asc(l.invoiceId), asc(l.position)]);
}

// ------------------------------------------------------------------- payments and credit

export const insertPayment = (ctx: DbCtx, row: PaymentRow) => insertRow(ctx, ctx.t.payments, row);

export function listPaymentsOf(ctx: DbCtx, invoiceIds: readonly string[]): Promise<PaymentRow[]> {
  const p = ctx.t.payments;
  return rowsWhereIn(ctx, p, p.invoiceId, invoiceIds, [asc(p.receivedAt), asc(p.createdAt)]);
}

export async function insertCredit(ctx: DbCtx, row: Tables['patientCredits']['$inferInsert']): Promise<void> {
  await ctx.db.insert(ctx.t.patientCredits).values(row);
}

/** A patient's credit: the sum of their ledger. */
export async function creditBalance(ctx: DbCtx, patientId: string): Promise<number> {
  const c = ctx.t.patientCredits;
  const row = await firstRow(
    ctx.db
      .select({ n: sql<number>`coalesce(sum(${c.amount}), 0)` })
      .from(c)
      .where(eq(c.patientId, patientId)),
  );
  return Number(row?.n ?? 0);
}

// ------------------------------------------------------------------- numbering

/**
 * The next number of a series and year (`INV-2026` → 42), in the caller's transaction: the counter
 * row is made if missing, locked (`FOR UPDATE` on PostgreSQL, across processes; SQLite's one
 * writer already excludes every other transaction), then incremented. A rollback gives the number
 * back, so numbers have no gaps and no duplicates.
 */
export async function nextNumber(ctx: DbCtx, key: string): Promise<number> {
  const c = ctx.t.invoiceCounters;
  await ctx.db.insert(c).values({ key, last: 0 }).onConflictDoNothing();
  await lockRow(ctx, c, c.key, key);
  const row = await updateRow(ctx, c, eq(c.key, key), { last: sql`${c.last} + 1` });
  return row!.last;
}

/** The issued credit notes of an invoice. */
export function listCreditNotesOf(ctx: DbCtx, invoiceId: string): Promise<InvoiceRow[]> {
  const i = ctx.t.invoices;
  return ctx.db
    .select()
    .from(i)
    .where(and(eq(i.creditsInvoiceId, invoiceId), eq(i.kind, 'credit_note')))
    .orderBy(asc(i.createdAt));
}
