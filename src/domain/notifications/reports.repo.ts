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
  const rows = await queryRows<{ month: string; sent: unknown; segments: unknown }>(
    ctx,
    sql`with ${bucketsCte(ctx, 'months', months)}
      select m.key as month,
        (select count(*) from ${d} where ${d.channel} = 'sms' and ${d.status} = 'sent'
          and ${d.sentAt} >= m.lo and ${d.sentAt} < m.hi) as sent,
        (select sum(${u.segments}) from ${u} where ${u.month} = m.key) as segments
      from months m`,
  );
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return months.map((m) => ({
    month: m.key,
    sent: num(byMonth.get(m.key)?.sent),
    segments: num(byMonth.get(m.key)?.segments),
    budget: monthlyLimit,
  }));
}
