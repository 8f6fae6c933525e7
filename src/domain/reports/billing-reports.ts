import {
  ageingBands,
  sumDailyTakings,
  sumOutstandingByAge,
  sumPaymentsByMethod,
  sumRevenueByPractitioner,
  sumRevenueBySale,
} from '../billing/index.ts';
import { countSmsAgainstBudget } from '../notifications/index.ts';
import { byKey, percent, practitionerColumn, type ReportDefinition, sumsByKey } from './report.ts';

/** The money reports and the SMS budget (issue 20 item 5); the queries are billing's and notifications'. */

const moneyColumns = [
  { key: 'net', label: 'Net', kind: 'money' as const },
  { key: 'tax', label: 'Tax', kind: 'money' as const },
  { key: 'gross', label: 'Gross', kind: 'money' as const },
];

const kindLabels: Record<string, string> = { fee: 'Fees (no-show, late cancellation)', text: 'Other lines' };

export const revenueByService: ReportDefinition = {
  name: 'revenue-by-service',
  title: 'Revenue by service',
  description:
    'Invoice lines of the invoices and credit notes issued in the range, per service and product (a voided invoice and its credit note net to nothing).',
  columns: [{ key: 'item', label: 'Service or product', kind: 'text' }, ...moneyColumns],
  chart: { kind: 'bars', series: ['gross'] },
  async rows(ctx, scope, lookups) {
    const sales = await sumRevenueBySale(ctx, scope);
    const services = sales.some((s) => s.serviceId)
      ? await lookups.serviceNames()
      : new Map<string, string>();
    const label = (s: (typeof sales)[number]) =>
      s.kind === 'service' && s.serviceId
        ? (services.get(s.serviceId) ?? 'A removed service')
        : s.kind === 'product'
          ? (s.product ?? 'A removed product')
          : (kindLabels[s.kind] ?? 'Other lines');
    // Two rows may share a label (a service line without a service id): add them up.
    const rows = new Map<string, { item: string; net: number; tax: number; gross: number }>();
    for (const s of sales) {
      const item = label(s);
      const row = rows.get(item) ?? { item, net: 0, tax: 0, gross: 0 };
      rows.set(item, { item, net: row.net + s.net, tax: row.tax + s.tax, gross: row.gross + s.gross });
    }
    return [...rows.values()].sort(byKey('item'));
  },
};

export const revenueByPractitioner: ReportDefinition = {
  name: 'revenue-by-practitioner',
  title: 'Revenue by practitioner',
  description: 'Invoices and credit notes issued in the range, per practitioner they were made for.',
  columns: [practitionerColumn, { key: 'documents', label: 'Invoices', kind: 'count' }, ...moneyColumns],
  chart: { kind: 'bars', series: ['gross'] },
  async rows(ctx, scope, lookups) {
    const sums = await sumRevenueByPractitioner(ctx, scope);
    const names = await lookups.practitionerNames();
    return sums
      .map((s) => ({
        practitioner: s.practitionerId
          ? (names.get(s.practitionerId) ?? 'A former practitioner')
          : 'No practitioner',
        documents: s.documents,
        net: s.net,
        tax: s.tax,
        gross: s.gross,
      }))
      .sort(byKey('practitioner'));
  },
};

const methodLabels: Record<string, string> = {
  cash: 'Cash',
  card: 'Card',
  transfer: 'Bank transfer',
  other: 'Other',
  credit: 'Patient credit',
};

export const revenueByPaymentMethod = sumsByKey({
  name: 'revenue-by-payment-method',
  title: 'Revenue by payment method',
  description:
    'Payments received in the range, per method (refunds count as negative; “Patient credit” is credit spent).',
  sums: sumPaymentsByMethod,
  keys: () => Object.keys(methodLabels),
  keyOf: (s) => s.method,
  label: { key: 'method', label: 'Method', of: (method) => methodLabels[method]! },
  count: { key: 'payments', label: 'Payments' },
  amount: { key: 'amount', label: 'Amount', chart: 'bars' },
});

const bandLabels: Record<string, string> = {
  '0-30': '0–30 days',
  '31-60': '31–60 days',
  '61-90': '61–90 days',
  '90+': 'Over 90 days',
};

export const outstanding = sumsByKey({
  name: 'outstanding',
  title: 'Outstanding balances by age',
  description:
    'What is still owed today on invoices issued up to the end of the range, by days past their due date (not yet due counts as 0–30).',
  sums: sumOutstandingByAge,
  keys: () => ageingBands,
  keyOf: (s) => s.band,
  label: { key: 'age', label: 'Past due', of: (band) => bandLabels[band] ?? band },
  count: { key: 'invoices', label: 'Invoices' },
  amount: { key: 'owed', label: 'Owed', chart: 'bars' },
});

export const dailyTakings = sumsByKey({
  name: 'daily-takings',
  title: 'Daily takings',
  description:
    'Money received each day (cash, card, transfer, other; refunds negative; credit spent left out).',
  sums: sumDailyTakings,
  keys: (scope) => scope.daily.map((d) => d.key),
  keyOf: (s) => s.day,
  label: { key: 'day', label: 'Day', of: (day) => day },
  count: { key: 'payments', label: 'Payments' },
  amount: { key: 'amount', label: 'Taken', chart: 'line' },
});

export const smsBudgetReport: ReportDefinition = {
  name: 'sms-budget',
  title: 'SMS sent against the budget',
  description:
    'Per calendar month the range touches, whole (UTC, as the budget counts): text messages sent, and the segments counted against the monthly budget (0: no budget set).',
  adminOnly: true,
  columns: [
    { key: 'month', label: 'Month', kind: 'text' },
    { key: 'sent', label: 'SMS sent', kind: 'count' },
    { key: 'segments', label: 'Segments', kind: 'count' },
    { key: 'budget', label: 'Budget', kind: 'count' },
    { key: 'used', label: 'Used', kind: 'percent' },
  ],
  chart: { kind: 'bars', series: ['segments', 'budget'] },
  async rows(ctx, scope, lookups) {
    return (await countSmsAgainstBudget(ctx, scope, lookups.smsMonthlyLimit)).map((m) => ({
      ...m,
      used: percent(m.segments, m.budget),
    }));
  },
};
