import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { firstRow, pageOfRows, rowsWhereIn } from '../../db/rows.ts';
import type { InvoiceRow } from './billing.repo.ts';
import type { InvoiceStatus } from './billing.schema.ts';

/**
 * The staff invoice register's queries (the list with its filters and paging, the totals at its
 * top, the invoices of appointments), over the billing area's own tables only.
 */
export interface RegisterQuery {
  statuses?: readonly InvoiceStatus[];
  origins?: readonly InvoiceRow['origin'][];
  /** Invoice date (issued, else made) in [from, to). */
  from?: Date;
  to?: Date;
  patientIds?: readonly string[];
  /** A practitioner's scope: made for them, or of these patients (seen by them). */
  scope?: { practitionerId: string; patientIds: readonly string[] };
  offset: number;
  limit: number;
}

const OPEN: InvoiceStatus[] = ['issued', 'part_paid'];

function whereOf(ctx: DbCtx, q: Omit<RegisterQuery, 'offset' | 'limit'>): SQL | undefined {
  const i = ctx.t.invoices;
  const where: (SQL | undefined)[] = [];
  if (q.statuses?.length) where.push(inArray(i.status, [...q.statuses]));
  if (q.origins?.length) where.push(inArray(i.origin, [...q.origins]));
  if (q.patientIds) where.push(q.patientIds.length ? inArray(i.patientId, [...q.patientIds]) : sql`1 = 0`);
  const dated = (op: typeof gte, at: Date) =>
    or(and(isNotNull(i.issuedAt), op(i.issuedAt, at)), and(isNull(i.issuedAt), op(i.createdAt, at)));
  if (q.from) where.push(dated(gte, q.from));
  if (q.to) where.push(dated(lt, q.to));
  if (q.scope) where.push(scopeOf(ctx, q.scope));
  return and(...where);
}

function scopeOf(ctx: DbCtx, scope: NonNullable<RegisterQuery['scope']>): SQL | undefined {
  const i = ctx.t.invoices;
  return scope.patientIds.length
    ? or(eq(i.practitionerId, scope.practitionerId), inArray(i.patientId, [...scope.patientIds]))
    : eq(i.practitionerId, scope.practitionerId);
}

/** One page of the register, newest first, and how many rows match in all. */
export async function listRegister(
  ctx: DbCtx,
  q: RegisterQuery,
): Promise<{ rows: InvoiceRow[]; total: number }> {
  const i = ctx.t.invoices;
  return pageOfRows(ctx, i, whereOf(ctx, q), [desc(i.createdAt), desc(i.id)], q);
}

/** What is owed on issued invoices not yet paid (credit notes not yet paid back count negative). */
export async function sumOutstanding(ctx: DbCtx, scope?: RegisterQuery['scope']): Promise<number> {
  const i = ctx.t.invoices;
  const row = await firstRow(
    ctx.db
      .select({ n: sql<number>`coalesce(sum(${i.total} - ${i.paid}), 0)` })
      .from(i)
      .where(and(inArray(i.status, OPEN), scope ? scopeOf(ctx, scope) : undefined)),
  );
  return Number(row?.n ?? 0);
}

/** Payments received in [from, to) by method (refunds negative; credit spent excluded: no money moved). */
export async function sumTakings(
  ctx: DbCtx,
  from: Date,
  to: Date,
  scope?: RegisterQuery['scope'],
): Promise<{ method: string; amount: number }[]> {
  const p = ctx.t.payments;
  const i = ctx.t.invoices;
  const rows = await ctx.db
    .select({ method: p.method, amount: sql<number>`coalesce(sum(${p.amount}), 0)` })
    .from(p)
    .innerJoin(i, eq(i.id, p.invoiceId))
    .where(
      and(
        gte(p.receivedAt, from),
        lt(p.receivedAt, to),
        sql`${p.method} <> 'credit'`,
        scope ? scopeOf(ctx, scope) : undefined,
      ),
    )
    .groupBy(p.method);
  return rows.map((r) => ({ method: r.method, amount: Number(r.amount) }));
}

/** The invoices made for these appointments (any status), oldest first. */
export function listInvoicesOfAppointments(
  ctx: DbCtx,
  appointmentIds: readonly string[],
): Promise<InvoiceRow[]> {
  const i = ctx.t.invoices;
  return rowsWhereIn(ctx, i, i.appointmentId, appointmentIds, [i.createdAt], eq(i.kind, 'invoice'));
}
