import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { type DbCtx, queryRows } from '../../db/client.ts';
import { type Bucket, bucketsCte, num, type ReportScope } from '../../db/report-sql.ts';

/** The UTC calendar months ("YYYY-MM", as the SMS budget counts them) the range touches. */
function monthsOf(scope: ReportScope): Bucket[] {
  const months: Bucket[] = [];
  let m = DateTime.fromJSDate(scope.from, { zone: 'utc' }).startOf('month');
  while (m.toMillis() < scope.to.getTime()) {
    const next = m.plus({ months: 1 });
    months.push({ key: m.toFormat('yyyy-MM'), from: m.toJSDate(), to: next.toJSDate() });
    m = next;
  }
  return months;
}

/**
 * SMS against the monthly budget (issue 20), per UTC month the range touches: the messages sent
 * (the delivery log) and the segments counted against the budget (`sms_usage`), both GROUP BY
 * aggregates, beside the budget (`--sms-monthly-limit`; 0 = none).
 */
export async function countSmsAgainstBudget(ctx: DbCtx, scope: ReportScope, monthlyLimit: number) {
  const d = ctx.t.deliveries;
  const u = ctx.t.smsUsage;
  const months = monthsOf(scope);
  const [sent, used] = await Promise.all([
    queryRows<{ month: string; n: unknown }>(
      ctx,
      sql`with ${bucketsCte(ctx, 'months', months)}
        select m.key as month, count(*) as n
        from months m join ${d} on ${d.channel} = 'sms' and ${d.sentAt} >= m.lo and ${d.sentAt} < m.hi
        where ${d.status} = 'sent'
        group by m.key`,
    ),
    queryRows<{ month: string; n: unknown }>(
      ctx,
      sql`select ${u.month} as month, sum(${u.segments}) as n from ${u}
        where ${u.month} >= ${months[0]?.key ?? ''} and ${u.month} <= ${months.at(-1)?.key ?? ''}
        group by ${u.month}`,
    ),
  ]);
  const count = (rows: { month: string; n: unknown }[]) => new Map(rows.map((r) => [r.month, num(r.n)]));
  const [sentBy, usedBy] = [count(sent), count(used)];
  return months.map((m) => ({
    month: m.key,
    sent: sentBy.get(m.key) ?? 0,
    segments: usedBy.get(m.key) ?? 0,
    budget: monthlyLimit,
  }));
}
