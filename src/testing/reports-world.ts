import { DateTime } from 'luxon';
import { systemActor } from '../domain/audit/index.ts';
import { insertAppointmentsInBulk, type NewAppointment } from '../domain/scheduling/index.ts';
import { newId } from '../lib/ids.ts';
import { createTestApp, type TestApp } from './app.ts';
import type { TestBrowser } from './browser.ts';
import type { TestDialect } from './db.ts';
import { type ClinicFixture, seedClinic } from './factories.ts';
import { signedInAs } from './signed-in.ts';

/**
 * A small clinic whose report figures are known by hand (issue 20's report tests): Europe/Paris,
 * three practitioners working Monday–Friday 09:00-12:00 and 13:00-17:00, five patients, 20
 * appointments across statuses (19 in February 2026, one in January), a closure, time off, extra
 * hours, four invoices with three payments, and SMS counts. The clock ends at 2026-03-02 09:00 UTC.
 * The hand-worked answers are in src/http/api/reports.test.ts beside each assertion.
 */
export interface ReportsWorld {
  app: TestApp;
  clinic: ClinicFixture;
  admin: TestBrowser;
  /** Practitioner 2 (Dr P2), who sees only their own figures. */
  p2: TestBrowser;
  desk: TestBrowser;
}

const ZONE = 'Europe/Paris';
const at = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toJSDate();

/** [practitioner 1-3, patient 1-5, local start, status, booked by, late cancellation] */
type Row = [number, number, string, NewAppointment['status'], 'staff' | 'patient', boolean?];
const appointmentRows: Row[] = [
  [1, 1, '2026-02-02T09:00', 'completed', 'staff'],
  [1, 2, '2026-02-02T10:00', 'completed', 'patient'],
  [2, 3, '2026-02-03T09:00', 'no_show', 'staff'],
  [2, 1, '2026-02-04T09:00', 'cancelled', 'patient', true],
  [3, 4, '2026-02-05T10:00', 'completed', 'staff'],
  [1, 1, '2026-02-09T09:00', 'completed', 'staff'],
  [1, 3, '2026-02-10T09:00', 'cancelled', 'staff'],
  [2, 2, '2026-02-11T09:00', 'completed', 'patient'],
  [2, 4, '2026-02-12T09:00', 'no_show', 'patient'],
  [3, 1, '2026-02-13T13:00', 'completed', 'staff'],
  [1, 2, '2026-02-16T09:00', 'completed', 'staff'],
  [1, 4, '2026-02-17T09:00', 'arrived', 'staff'],
  [2, 5, '2026-02-18T09:00', 'completed', 'patient'],
  [3, 2, '2026-02-19T09:00', 'cancelled', 'staff', true],
  [3, 3, '2026-02-19T10:00', 'requested', 'patient'],
  [1, 1, '2026-02-23T09:00', 'booked', 'patient'],
  [2, 1, '2026-02-24T09:00', 'booked', 'staff'],
  [2, 2, '2026-02-25T09:00', 'booked', 'staff'],
  [3, 4, '2026-02-26T09:00', 'no_show', 'staff'],
  [1, 3, '2026-01-20T09:00', 'completed', 'staff'],
];

async function addAppointments(app: TestApp, clinic: ClinicFixture) {
  const rows: NewAppointment[] = appointmentRows.map(([p, patient, start, status, by, late]) => {
    const startAt = at(start);
    const endAt = new Date(startAt.getTime() + 30 * 60_000);
    return {
      id: newId(),
      patientId: clinic.patientIds[patient - 1]!,
      practitionerId: clinic.practitionerIds[p - 1]!,
      serviceId: clinic.serviceId,
      startAt,
      endAt,
      blockStartAt: startAt,
      blockEndAt: endAt,
      status,
      cancelledBy: status === 'cancelled' ? 'clinic' : null,
      lateCancel: late ?? false,
      cancelledAt: status === 'cancelled' ? startAt : null,
      bookedByType: by,
      bookedById: null,
      version: 1,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    };
  });
  await app.db.tx((ctx) => insertAppointmentsInBulk(ctx, rows));
}

/** A closure (Fri 20 Feb, everyone), a day off for P1 (Tue 10 Feb), an afternoon off for P3, extra hours for P2. */
async function addHours(app: TestApp, clinic: ClinicFixture) {
  const hours = app.deps.availabilityAdmin;
  const [p1, p2, p3] = clinic.practitionerIds as [string, string, string];
  await hours.addClosure(systemActor, { date: '2026-02-20', reason: 'Holiday' });
  await hours.addTimeOff(systemActor, { practitionerId: p1, fromDate: '2026-02-10', toDate: '2026-02-10' });
  await hours.addTimeOff(systemActor, {
    practitionerId: p3,
    fromDate: '2026-02-05',
    fromTime: '13:00',
    toDate: '2026-02-05',
    toTime: '15:00',
  });
  await hours.addExtraHours(systemActor, {
    practitionerId: p2,
    date: '2026-02-07',
    start: '09:00',
    end: '11:00',
  });
}

/** Four invoices (two issued in February, two long overdue), three payments received in February. */
async function addInvoices(app: TestApp, clinic: ClinicFixture) {
  const billing = app.deps.billing;
  const desk = { type: 'staff' as const, id: clinic.receptionId };
  const admin = { type: 'staff' as const, id: clinic.adminId };
  await billing.updateSettings(admin, { currency: 'EUR', dueDays: 14 });
  const vat = (await billing.createTaxRate(admin, { name: 'VAT', basisPoints: 2000, inclusive: false })).id;
  const service = (quantity = 1) => ({ serviceId: clinic.serviceId, quantity, unitPrice: 6000 });
  const invoice = async (
    patient: number,
    practitioner: number,
    issuedAt: string,
    lines: unknown[],
    payment?: { method: string; amount: number; receivedAt: string },
  ) => {
    app.clock.set(issuedAt);
    const draft = await billing.create(desk, {
      patientId: clinic.patientIds[patient - 1],
      practitionerId: clinic.practitionerIds[practitioner - 1],
      lines,
    });
    await billing.issue(desk, draft.id);
    if (payment) await billing.pay(desk, draft.id, payment);
  };
  await invoice(1, 1, '2026-02-03T10:00:00Z', [service()], {
    method: 'cash',
    amount: 6000,
    receivedAt: '2026-02-03T10:05:00Z',
  });
  await invoice(
    2,
    2,
    '2026-02-11T10:00:00Z',
    [service(), { description: 'Tape', quantity: 2, unitPrice: 450, taxRateId: vat }],
    {
      method: 'card',
      amount: 3000,
      receivedAt: '2026-02-11T10:05:00Z',
    },
  );
  await invoice(3, 3, '2025-12-15T10:00:00Z', [service()], {
    method: 'transfer',
    amount: 1000,
    receivedAt: '2026-02-20T10:00:00Z',
  });
  await invoice(4, 1, '2025-10-01T10:00:00Z', [{ description: 'Report', quantity: 1, unitPrice: 4000 }]);
}

/** 37 SMS segments counted in February, two SMS sent (one in February, one in March). */
async function addSms(app: TestApp) {
  await app.db.tx(async (ctx) => {
    await ctx.db.insert(ctx.t.smsUsage).values({ month: '2026-02', segments: 37 });
    const sms = (sentAt: string) => ({
      id: newId(),
      recipient: '+33600000000',
      channel: 'sms' as const,
      messageType: 'test',
      language: 'en',
      status: 'sent' as const,
      createdAt: new Date(sentAt),
      updatedAt: new Date(sentAt),
      sentAt: new Date(sentAt),
    });
    await ctx.db.insert(ctx.t.deliveries).values([sms('2026-02-14T08:00:00Z'), sms('2026-03-01T08:00:00Z')]);
  });
}

export async function reportsWorld(dialect: TestDialect): Promise<ReportsWorld> {
  const app = await createTestApp({
    dialect,
    now: '2026-01-01T09:00:00Z',
    config: { staffMfa: 'optional', smsMonthlyLimit: 100 },
  });
  const clinic = await seedClinic(app, { practitioners: 3, patients: 5, timeZone: ZONE });
  await addAppointments(app, clinic);
  await addHours(app, clinic);
  await addInvoices(app, clinic);
  await addSms(app);
  app.clock.set('2026-03-02T09:00:00Z');
  return {
    app,
    clinic,
    admin: await signedInAs(app, 'ada@clinic.example'),
    p2: await signedInAs(app, 'p2@clinic.example'),
    desk: await signedInAs(app, 'bo@clinic.example'),
  };
}
