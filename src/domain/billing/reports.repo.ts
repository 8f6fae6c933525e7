import { type SQL, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { type DbCtx, queryRows } from '../../db/client.ts';
import { bucketsCte, instant, num, type ReportScope } from '../../db/report-sql.ts';

/**
 * Billing's report queries (issue 20), each one GROUP BY statement answering a few rows. Revenue
 * counts every document issued in the range — invoices and credit notes, a voided invoice and
 * the credit note that voids it netting to nothing; payments count by when they were received.
 * A practitioner's figures are those of the invoices made for them.
 */

const onlyPractitioner = (scope: ReportScope, column: unknown): SQL =>
  scope.practitionerId ? sql` and ${column} = ${scope.practitionerId}` : sql``;

/** Payments are a practitioner's through their invoice: joined only when the figures are one practitioner's. */
const paymentsOf = (ctx: DbCtx, scope: ReportScope): SQL => {
  const i = ctx.t.invoices;
  const p = ctx.t.payments;
  return scope.practitionerId
    ? sql`(select ${p.method} as method, ${p.amount} as amount, ${p.receivedAt} as received_at from ${p}
        join ${i} on ${i.id} = ${p.invoiceId} where ${i.practitionerId} = ${scope.practitionerId})`
    : sql`(select ${p.method} as method, ${p.amount} as amount, ${p.receivedAt} as received_at from ${p})`;
};

const issuedIn = (ctx: DbCtx, scope: ReportScope) => {
  const i = ctx.t.invoices;
  return sql`${i.issuedAt} >= ${instant(ctx, scope.from)} and ${i.issuedAt} < ${instant(ctx, scope.to)}${onlyPractitioner(scope, i.practitionerId)}`;
};

/** Revenue by what was sold: per service, per product, and fees and free text each as one. */
export async function sumRevenueBySale(ctx: DbCtx, scope: ReportScope) {
  const i = ctx.t.invoices;
  const l = ctx.t.invoiceLines;
  const p = ctx.t.products;
  const rows = await queryRows<{
    kind: string;
    serviceId: string | null;
    product: string | null;
    net: unknown;
    tax: unknown;
    gross: unknown;
  }>(
    ctx,
    sql`select ${l.kind} as kind, ${l.serviceId} as "serviceId", ${p.name} as product,
        sum(${l.net}) as net, sum(${l.tax}) as tax, sum(${l.gross}) as gross
      from ${l} join ${i} on ${i.id} = ${l.invoiceId} left join ${p} on ${p.id} = ${l.productId}
      where ${issuedIn(ctx, scope)}
      group by ${l.kind}, ${l.serviceId}, ${p.name}`,
  );
  return rows.map((r) => ({
    kind: r.kind,
    serviceId: r.serviceId,
    product: r.product,
    net: num(r.net),
    tax: num(r.tax),
    gross: num(r.gross),
  }));
}

/** Revenue per practitioner the invoices were made for (null: none named). */
export async function sumRevenueByPractitioner(ctx: DbCtx, scope: ReportScope) {
  const i = ctx.t.invoices;
  const rows = await queryRows<{ id: string | null; n: unknown; net: unknown; tax: unknown; gross: unknown }>(
    ctx,
    sql`select ${i.practitionerId} as id, count(*) as n, sum(${i.subtotal}) as net, sum(${i.taxTotal}) as tax, sum(${i.total}) as gross
      from ${i} where ${issuedIn(ctx, scope)}
      group by ${i.practitionerId}`,
  );
  return rows.map((r) => ({
    practitionerId: r.id,
    documents: num(r.n),
    net: num(r.net),
    tax: num(r.tax),
    gross: num(r.gross),
  }));
}

/** Payments received in the range (refunds negative), per method. */
export async function sumPaymentsByMethod(ctx: DbCtx, scope: ReportScope) {
  const rows = await queryRows<{ method: string; n: unknown; amount: unknown }>(
    ctx,
    sql`select y.method as method, count(*) as n, sum(y.amount) as amount
      from ${paymentsOf(ctx, scope)} y
      where y.received_at >= ${instant(ctx, scope.from)} and y.received_at < ${instant(ctx, scope.to)}
      group by y.method`,
  );
  return rows.map((r) => ({ method: r.method, payments: num(r.n), amount: num(r.amount) }));
}

/** Money taken each local day of the range (cash, card, transfer, other — not credit spent, refunds negative). */
export async function sumDailyTakings(ctx: DbCtx, scope: ReportScope) {
  const rows = await queryRows<{ day: string; n: unknown; amount: unknown }>(
    ctx,
    sql`with ${bucketsCte(ctx, 'days', scope.daily)}
      select d.key as day, count(*) as n, sum(y.amount) as amount
      from days d join ${paymentsOf(ctx, scope)} y on y.received_at >= d.lo and y.received_at < d.hi
      where y.method <> 'credit'
      group by d.key`,
  );
  return rows.map((r) => ({ day: r.day, payments: num(r.n), amount: num(r.amount) }));
}

/** The ageing bands of what is owed, by days past the due date (not yet due counts as 0–30). */
export const ageingBands = ['0-30', '31-60', '61-90', '90+'] as const;

/**
 * What is still owed today on invoices issued before the range's end, by how far past due:
 * due dates are local ISO dates, so the bands compare them as text with today minus 30, 60, 90.
 */
export async function sumOutstandingByAge(ctx: DbCtx, scope: ReportScope) {
  const i = ctx.t.invoices;
  const today = DateTime.fromISO(scope.today);
  const back = (days: number) => today.minus({ days }).toISODate();
  const rows = await queryRows<{ band: string; n: unknown; owed: unknown }>(
    ctx,
    sql`select band, count(*) as n, sum(owed) as owed from (
        select case
            when ${i.dueDate} is null or ${i.dueDate} >= ${back(30)} then '0-30'
            when ${i.dueDate} >= ${back(60)} then '31-60'
            when ${i.dueDate} >= ${back(90)} then '61-90'
            else '90+' end as band,
          ${i.total} - ${i.paid} as owed
        from ${i}
        where ${i.kind} = 'invoice' and ${i.status} in ('issued', 'part_paid')
          and ${i.issuedAt} < ${instant(ctx, scope.to)}${onlyPractitioner(scope, i.practitionerId)}
      ) owing group by band`,
  );
  return rows.map((r) => ({ band: r.band, invoices: num(r.n), owed: num(r.owed) }));
}
