import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../testing/db.ts';
import { type ReportsWorld, reportsWorld } from '../../testing/reports-world.ts';

type Row = Record<string, string | number>;
interface ReportJson {
  report: { name: string; from: string; to: string; scope: string; currency: string; rows: Row[] };
}

const FEB = 'from=2026-02-02&to=2026-03-01';

/*
 * Issue 20's reports over HTTP, against the hand-computed fixture of testing/reports-world.ts
 * (February 2026 in Europe/Paris: four weeks, Monday 2 to Sunday 1 March). Each expected figure is
 * worked out in the comment beside it from that file's rows.
 */
describe.each(bothDialects)('reports API, on %s', (dialect) => {
  let w: ReportsWorld;
  beforeAll(async () => {
    w = await reportsWorld(dialect);
  }, 60_000);
  afterAll(() => w.app.destroy());

  const read = async (name: string, who: 'admin' | 'p2' = 'admin', q = FEB) => {
    const res = await w[who].get(`/api/v1/reports/${name}?${q}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as ReportJson).report;
  };

  /** A row of the attendance report: who, appointments, no-shows and their rate, late cancellations and theirs. */
  const attendanceRow = (
    practitioner: string,
    appointments: number,
    noShows: number,
    noShowRate: number,
    lateCancellations: number,
    lateCancellationRate: number,
  ) => ({ practitioner, appointments, noShows, noShowRate, lateCancellations, lateCancellationRate });
  /** Dr P2's row in February, as the admin and P2 both read it. */
  const p2Attendance = attendanceRow('Dr P2', 7, 2, 28.6, 1, 14.3);

  it('counts appointments by status per week', async () => {
    const r = await read('appointments-by-status');
    expect(
      r.rows.map((x) => [
        x.week,
        x.completed,
        x.no_show,
        x.cancelled,
        x.arrived,
        x.booked,
        x.requested,
        x.total,
      ]),
    ).toEqual([
      ['2026-02-02', 3, 1, 1, 0, 0, 0, 5], // rows 1, 2, 5 completed; 3 no-show; 4 cancelled
      ['2026-02-09', 3, 1, 1, 0, 0, 0, 5], // 6, 8, 10; 9; 7
      ['2026-02-16', 2, 0, 1, 1, 0, 1, 5], // 11, 13; 14 cancelled; 12 arrived; 15 requested
      ['2026-02-23', 0, 1, 0, 0, 3, 0, 4], // 19 no-show; 16, 17, 18 booked
    ]);
  });

  it('gives no-show and late-cancellation rates per practitioner and overall', async () => {
    const r = await read('attendance');
    expect(r.rows).toEqual([
      // P1: rows 1, 2, 6, 7, 11, 12, 16; P2: 3, 4, 8, 9, 13, 17, 18 (no-shows 3, 9; late 4);
      // P3: 5, 10, 14, 19 (15 is a request; no-show 19; late 14).
      attendanceRow('Dr P1', 7, 0, 0, 0, 0),
      p2Attendance,
      attendanceRow('Dr P3', 4, 1, 25, 1, 25),
      attendanceRow('All practitioners', 18, 3, 16.7, 2, 11.1),
    ]);
  });

  it('measures utilisation: booked minutes over weekly hours less closures and time off', async () => {
    const r = await read('utilisation');
    // 20 weekdays × 420 min = 8400, less the closure on the 20th (420) = 7980 each; P1 a day off (−420),
    // P2 extra hours on Saturday 7th (+120), P3 13:00-15:00 off on the 5th (−120). Booked: 30 min each.
    expect(r.rows).toEqual([
      { practitioner: 'Dr P1', bookedMinutes: 180, availableMinutes: 7560, utilisation: 2.4 },
      { practitioner: 'Dr P2', bookedMinutes: 180, availableMinutes: 8100, utilisation: 2.2 },
      { practitioner: 'Dr P3', bookedMinutes: 90, availableMinutes: 7860, utilisation: 1.1 },
    ]);
  });

  it('tells new from returning patients each week', async () => {
    const r = await read('new-vs-returning');
    expect(r.rows).toEqual([
      { week: '2026-02-02', new: 3, returning: 1 }, // patient 3 was seen in January
      { week: '2026-02-09', new: 0, returning: 3 },
      { week: '2026-02-16', new: 1, returning: 2 }, // patient 5's first visit
      { week: '2026-02-23', new: 0, returning: 3 },
    ]);
  });

  it('splits bookings between online and staff', async () => {
    const r = await read('booking-channels');
    expect(r.rows).toEqual([
      { week: '2026-02-02', online: 2, staff: 3 },
      { week: '2026-02-09', online: 2, staff: 3 },
      { week: '2026-02-16', online: 2, staff: 3 },
      { week: '2026-02-23', online: 1, staff: 3 },
    ]);
  });

  it('sums revenue by service, by practitioner and by payment method', async () => {
    // Issued in February: A (a 60.00 service, Dr P1) and B (a 60.00 service + 2 × 4.50 tape at 20 % VAT, Dr P2).
    expect((await read('revenue-by-service')).rows).toEqual([
      { item: 'Other lines', net: 900, tax: 180, gross: 1080 },
      { item: 'Physiotherapy', net: 12000, tax: 0, gross: 12000 },
    ]);
    expect((await read('revenue-by-practitioner')).rows).toEqual([
      { practitioner: 'Dr P1', documents: 1, net: 6000, tax: 0, gross: 6000 },
      { practitioner: 'Dr P2', documents: 1, net: 6900, tax: 180, gross: 7080 },
    ]);
    expect((await read('revenue-by-payment-method')).rows).toEqual([
      { method: 'Cash', payments: 1, amount: 6000 },
      { method: 'Card', payments: 1, amount: 3000 },
      { method: 'Bank transfer', payments: 1, amount: 1000 }, // on December's invoice C, received 20 Feb
      { method: 'Other', payments: 0, amount: 0 },
      { method: 'Patient credit', payments: 0, amount: 0 },
    ]);
  });

  it('ages outstanding balances and lists daily takings', async () => {
    // Today 2 March: B due 25 Feb (5 days: 70.80 − 30.00), C due 29 Dec (63 days: 60 − 10), D due 15 Oct (138 days).
    expect((await read('outstanding')).rows).toEqual([
      { age: '0–30 days', invoices: 1, owed: 4080 },
      { age: '31–60 days', invoices: 0, owed: 0 },
      { age: '61–90 days', invoices: 1, owed: 5000 },
      { age: 'Over 90 days', invoices: 1, owed: 4000 },
    ]);
    const takings = (await read('daily-takings')).rows;
    expect(takings).toHaveLength(28);
    expect(takings.filter((d) => d.amount !== 0)).toEqual([
      { day: '2026-02-03', payments: 1, amount: 6000 },
      { day: '2026-02-11', payments: 1, amount: 3000 },
      { day: '2026-02-20', payments: 1, amount: 1000 },
    ]);
  });

  it('counts SMS against the monthly budget', async () => {
    // Every UTC month the range touches, whole (as the budget counts): it ends at 1 March 23:00 UTC.
    expect((await read('sms-budget')).rows).toEqual([
      { month: '2026-02', sent: 1, segments: 37, budget: 100, used: 37 },
      { month: '2026-03', sent: 1, segments: 0, budget: 100, used: 0 },
    ]);
  });

  it('shows a practitioner only their own figures, and not the clinic-wide SMS', async () => {
    const own = await read('attendance', 'p2');
    expect(own.scope).toBe('own');
    expect(own.rows).toEqual([p2Attendance]);
    expect((await read('appointments-by-status', 'p2')).rows.map((x) => x.total)).toEqual([2, 2, 1, 2]);
    // P2 saw patients 3 | 2, 4 | 5 | 1, 2. New means the first visit with anyone fell that week AND
    // P2 saw them that week: patient 4's first visit (Feb 5, with P3) is not new for P2.
    expect((await read('new-vs-returning', 'p2')).rows).toEqual([
      { week: '2026-02-02', new: 0, returning: 1 },
      { week: '2026-02-09', new: 0, returning: 2 },
      { week: '2026-02-16', new: 1, returning: 0 },
      { week: '2026-02-23', new: 0, returning: 2 },
    ]);
    expect((await read('revenue-by-practitioner', 'p2')).rows.map((x) => x.practitioner)).toEqual(['Dr P2']);
    expect((await read('outstanding', 'p2')).rows.map((x) => x.owed)).toEqual([4080, 0, 0, 0]);
    expect(
      (await read('revenue-by-payment-method', 'p2')).rows.find((x) => x.method === 'Card')?.amount,
    ).toBe(3000);
    expect(
      (await read('revenue-by-payment-method', 'p2')).rows.find((x) => x.method === 'Cash')?.amount,
    ).toBe(0);
    expect((await w.p2.get(`/api/v1/reports/sms-budget?${FEB}`)).status).toBe(403);
    // The front desk reads no reports.
    expect((await w.desk.get(`/api/v1/reports/attendance?${FEB}`)).status).toBe(403);
  });

  it('answers CSV with Accept: text/csv, money in major units, formula-like text made inert', async () => {
    const res = await w.admin.get(`/api/v1/reports/revenue-by-practitioner?${FEB}`, { Accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await res.text()).toBe(
      'Practitioner,Invoices,Net (EUR),Tax (EUR),Gross (EUR)\nDr P1,1,60.00,0.00,60.00\nDr P2,1,69.00,1.80,70.80\n',
    );
    await w.app.deps.practitioners.save({ type: 'system', id: null }, w.clinic.practitionerIds[0]!, {
      ...(await w.app.deps.practitioners.get(w.clinic.practitionerIds[0]!)).profile!,
      displayName: '=HYPERLINK("http://x")',
      serviceIds: [w.clinic.serviceId],
      hours: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, '09:00-12:00, 13:00-17:00'])),
    });
    const csv = await (
      await w.admin.get(`/api/v1/reports/utilisation?${FEB}`, { Accept: 'text/csv' })
    ).text();
    expect(csv.split('\n')[0]).toBe('Practitioner,Booked,Available,Utilisation (%)');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")",180,7560,2.4\n`);
  });

  it('refuses an unknown report (404) and bad dates (422), and audits each read once', async () => {
    expect((await w.admin.get(`/api/v1/reports/nope?${FEB}`)).status).toBe(404);
    for (const q of [
      'from=2026-02-30&to=2026-03-01',
      'from=2026-03-01&to=2026-02-01',
      'from=2026-02-01',
      'from=2020-01-01&to=2026-01-01',
    ]) {
      const res = await w.admin.get(`/api/v1/reports/attendance?${q}`);
      expect(res.status, q).toBe(422);
      const body = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.issues.length).toBeGreaterThan(0);
    }
    const before = (await w.app.deps.audit.list({ limit: 1000 })).filter(
      (a) => a.action === 'report.read',
    ).length;
    await read('daily-takings');
    const after = await w.app.deps.audit.list({ limit: 1000 });
    const reads = after.filter((a) => a.action === 'report.read');
    expect(reads.length).toBe(before + 1);
    expect(reads[0]?.entityId).toBe('daily-takings');
  });
});
