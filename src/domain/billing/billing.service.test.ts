import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { bothDialects } from '../../testing/db.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { secondInstance } from '../../testing/second-instance.ts';

/*
 * Issue 20, billing in the domain: fifty invoices issued at once (half through a second instance
 * on the same database: on a PostgreSQL server its own connection) get fifty consecutive numbers;
 * completing an appointment makes its draft (or offers the button) at the practitioner's price;
 * no-shows and late cancellations propose their fee; a zero-decimal currency with mixed rates.
 */
describe.each(bothDialects)('billing, on %s', (dialect) => {
  let app: TestApp;
  let clinic: ClinicFixture;
  const admin = () => ({ type: 'staff' as const, id: clinic.adminId });
  const desk = () => ({ type: 'staff' as const, id: clinic.receptionId });
  const deskBooker = () => ({ actor: desk(), role: 'reception' as const });

  beforeAll(async () => {
    app = await createTestApp({ dialect, now: '2026-03-02T08:00:00.000Z' });
    clinic = await seedClinic(app, { patients: 3, practitioners: 2 });
  });
  afterAll(() => app.destroy());

  it('50 concurrent issues across two instances → 50 consecutive numbers, no gap, no duplicate', async () => {
    const other = await secondInstance(app);
    try {
      const drafts = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          app.deps.billing.create(desk(), {
            patientId: clinic.patientIds[i % 3],
            lines: [{ description: `Visit ${i}`, quantity: 1, unitPrice: 1000 + i }],
          }),
        ),
      );
      // Each draft issued twice at once, through both instances: exactly one issue each wins.
      const results = await Promise.allSettled(
        drafts.flatMap((d, i) => [
          (i % 2 ? other.deps : app.deps).billing.issue(desk(), d.id),
          (i % 2 ? app.deps : other.deps).billing.issue(desk(), d.id),
        ]),
      );
      const issued = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(issued).toHaveLength(50);
      for (const r of results)
        if (r.status === 'rejected')
          expect((r.reason as { code: string }).code).toMatch(/invoice_issued|version_conflict/);
      const numbers = issued.map((v) => v.number!).sort();
      expect(numbers).toEqual(
        Array.from({ length: 50 }, (_, i) => `INV-2026-${String(i + 1).padStart(5, '0')}`),
      );
      const r = app.db.reader;
      const [counter] = await r.db.select().from(r.t.invoiceCounters);
      expect(counter).toEqual({ key: 'INV-2026', last: 50 });
    } finally {
      // Not stop(): on SQLite and PGlite the second instance shares the first's handle, which stop() closes.
      await other.close();
    }
  });

  it('a completed appointment: a draft at the practitioner’s price with the setting, else the button makes it once', async () => {
    const [p1, p2] = clinic.practitionerIds as [string, string];
    await app.deps.billing.setServicePrice(admin(), clinic.serviceId, {
      unitPrice: 6000,
      noShowFee: 2500,
      lateCancelFee: 1500,
    });
    await app.deps.billing.setServicePrice(admin(), clinic.serviceId, {
      practitionerId: p2,
      unitPrice: 8000,
    });
    await app.deps.billing.updateSettings(admin(), { onCompletion: 'draft' });

    const a = await bookAppointment(app, clinic, clinic.patientIds[0]!, '2026-03-02T10:00:00.000Z', p2);
    const b = await bookAppointment(app, clinic, clinic.patientIds[1]!, '2026-03-02T10:00:00.000Z', p1);
    app.clock.set('2026-03-02T10:30:00.000Z');
    await app.deps.appointments.setStatus(deskBooker(), a.id, 'completed');
    const made = (await app.deps.billing.list(desk(), { patientId: clinic.patientIds[0] })).filter(
      (i) => i.appointmentId === a.id,
    );
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      status: 'draft',
      origin: 'appointment',
      practitionerId: p2,
      total: 8000,
    });
    expect(made[0]!.lines).toMatchObject([{ kind: 'service', unitPrice: 8000, quantity: 1 }]);

    await app.deps.billing.updateSettings(admin(), { onCompletion: 'button' });
    await app.deps.appointments.setStatus(deskBooker(), b.id, 'completed');
    expect(
      (await app.deps.billing.list(desk(), { patientId: clinic.patientIds[1] })).some(
        (i) => i.appointmentId === b.id,
      ),
    ).toBe(false);
    const byButton = await app.deps.billing.create(desk(), { appointmentId: b.id });
    expect(byButton).toMatchObject({
      status: 'draft',
      total: 6000,
      patientId: clinic.patientIds[1],
      practitionerId: p1,
    });
    await expect(app.deps.billing.create(desk(), { appointmentId: b.id })).rejects.toMatchObject({
      code: 'invoice_exists',
    });
  });

  it('a no-show and a late cancellation by the patient propose their fee as a draft line to confirm', async () => {
    app.clock.set('2026-03-03T08:00:00.000Z');
    const noShow = await bookAppointment(app, clinic, clinic.patientIds[2]!, '2026-03-03T09:00:00.000Z');
    const late = await bookAppointment(app, clinic, clinic.patientIds[2]!, '2026-03-03T14:00:00.000Z');
    const early = await bookAppointment(app, clinic, clinic.patientIds[2]!, '2026-03-10T14:00:00.000Z');
    app.clock.set('2026-03-03T09:30:00.000Z');
    await app.deps.appointments.setStatus(deskBooker(), noShow.id, 'no_show');
    await app.deps.appointments.cancel(deskBooker(), late.id, { by: 'patient' });
    await app.deps.appointments.cancel(deskBooker(), early.id, { by: 'patient' });
    const fees = (await app.deps.billing.list(desk(), { patientId: clinic.patientIds[2] })).filter((i) =>
      ['no_show', 'late_cancel'].includes(i.origin),
    );
    expect(fees.map((f) => [f.appointmentId, f.origin, f.status, f.total, f.lines[0]!.kind]).sort()).toEqual(
      [
        [noShow.id, 'no_show', 'draft', 2500, 'fee'],
        [late.id, 'late_cancel', 'draft', 1500, 'fee'],
      ].sort(),
    );
    // Undone and marked again: still one proposal. Staff confirm by issuing it.
    await app.deps.appointments.setStatus(deskBooker(), noShow.id, 'booked');
    await app.deps.appointments.setStatus(deskBooker(), noShow.id, 'no_show');
    const again = (await app.deps.billing.list(desk(), { patientId: clinic.patientIds[2] })).filter(
      (i) => i.origin === 'no_show',
    );
    expect(again).toHaveLength(1);
    expect((await app.deps.billing.issue(desk(), again[0]!.id)).status).toBe('issued');
  });

  it('a zero-decimal currency with mixed rates, a product and an inclusive rate', async () => {
    // Invoices were issued in euros above: the currency is fixed (every amount on record is in it).
    await expect(app.deps.billing.updateSettings(admin(), { currency: 'jpy' })).rejects.toMatchObject({
      code: 'currency_locked',
    });
    expect((await app.deps.billing.settings()).currency).toBe('EUR');
    // A clinic that has issued nothing yet may choose yen.
    const jp = await createTestApp({ dialect, now: '2026-03-02T08:00:00.000Z' });
    try {
      const jpClinic = await seedClinic(jp, { patients: 1, practitioners: 1 });
      const jpAdmin = { type: 'staff' as const, id: jpClinic.adminId };
      const jpDesk = { type: 'staff' as const, id: jpClinic.receptionId };
      const billing = jp.deps.billing;
      const reduced = await billing.createTaxRate(jpAdmin, {
        name: 'Reduced',
        basisPoints: 800,
        inclusive: true,
      });
      const standard = await billing.createTaxRate(jpAdmin, {
        name: 'Standard',
        basisPoints: 1000,
        inclusive: false,
      });
      const brace = await billing.createProduct(jpAdmin, {
        name: 'Knee brace',
        unitPrice: 3333,
        taxRateId: standard.id,
      });
      await billing.updateSettings(jpAdmin, { currency: 'jpy' });
      const inv = await billing.create(jpDesk, {
        patientId: jpClinic.patientIds[0],
        lines: [
          { productId: brace.id, quantity: 1 },
          { description: 'Tea', quantity: 3, unitPrice: 1000, taxRateId: reduced.id, discountAmount: 100 },
        ],
      });
      // 3333 × 10 % = 333.3 → 333; 2900 inclusive 8 %: net 2900 / 1.08 = 2685.19 → 2685, tax 215
      expect(inv.currency).toBe('JPY');
      expect(inv.lines.map((l) => [l.description, l.net, l.tax, l.gross])).toEqual([
        ['Knee brace', 3333, 333, 3666],
        ['Tea', 2685, 215, 2900],
      ]);
      expect(inv).toMatchObject({ subtotal: 6018, taxTotal: 548, total: 6566 });
      await expect(billing.updateSettings(jpAdmin, { currency: 'XYZ' })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await expect(billing.updateSettings(jpDesk, { currency: 'EUR' })).rejects.toMatchObject({
        code: 'forbidden',
      });
      // A draft is not issued: the currency may still change; once issued, it may not.
      await billing.updateSettings(jpAdmin, { currency: 'EUR' });
      await billing.updateSettings(jpAdmin, { currency: 'JPY' });
      await billing.issue(jpDesk, inv.id);
      await expect(billing.updateSettings(jpAdmin, { currency: 'EUR' })).rejects.toMatchObject({
        code: 'currency_locked',
        status: 409,
      });
    } finally {
      await jp.destroy();
    }
  });
});
