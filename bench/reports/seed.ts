/**
 * The reports benchmark's clinic: the scheduling bench's shape (practitioners working weekdays
 * 08:00-12:00 and 13:00-18:00, 2,000 patients, appointments 75 % full, written by the demo
 * generator in bulk), going back as far as BENCH_APPOINTMENTS needs; a completed appointment of the
 * last year gets an issued invoice of one line, paid (cash, card or transfer) nine times in ten;
 * each practitioner has ten days off in the year; 30,000 SMS deliveries over the year.
 */
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { App } from '../../src/app.ts';
import { seededRandom } from '../../src/cli/demo-clinic.ts';
import { type DbCtx, execute } from '../../src/db/client.ts';
import { systemActor } from '../../src/domain/audit/index.ts';
import { insertAppointmentsInBulk, type NewAppointment } from '../../src/domain/scheduling/index.ts';
import { newId } from '../../src/lib/ids.ts';
import { appOnDatabase } from '../../src/testing/app.ts';
import type { TestDb } from '../../src/testing/db.ts';
import { benchPractitioners, generateBenchAppointments } from '../scheduling/seed.ts';

export const ZONE = 'Europe/Paris';

export interface BenchClinic {
  app: App;
  adminId: string;
  appointments: number;
  invoices: number;
  today: DateTime;
}

async function addPeople(app: App, practitioners: number) {
  const { staff, clinic } = app.deps;
  await clinic.update(systemActor, { ...(await clinic.get()), name: 'Bench clinic', timeZone: ZONE });
  const admin = await staff.accounts.create(systemActor, {
    email: 'admin@bench.example',
    name: 'Admin',
    role: 'admin',
  });
  const { generatorPractitioners: generator } = await benchPractitioners(app, practitioners);
  const patientIds: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const p = await app.deps.patients.create(systemActor, {
      firstName: `Pat${i}`,
      lastName: `Bench${i}`,
      dateOfBirth: '1980-01-01',
    });
    patientIds.push(p.id);
  }
  return { adminId: admin.id, generator, patientIds };
}

/** An issued invoice of one service line for a completed appointment, and (nine in ten) its payment. */
function billOf(a: NewAppointment, rng: () => number, currency: string) {
  const issuedAt = new Date((a.endAt as Date).getTime() + 10 * 60_000);
  const due = DateTime.fromJSDate(issuedAt, { zone: ZONE }).plus({ days: 14 }).toISODate()!;
  const paid = rng() < 0.9;
  const id = newId();
  const invoice = {
    id,
    kind: 'invoice' as const,
    number: `INV-B-${id}`,
    status: paid ? ('paid' as const) : ('issued' as const),
    patientId: a.patientId,
    appointmentId: a.id!,
    practitionerId: a.practitionerId,
    origin: 'appointment' as const,
    currency,
    payerKind: 'patient' as const,
    payerName: 'Bench patient',
    payerAddress: '',
    note: '',
    subtotal: 6000,
    taxTotal: 0,
    total: 6000,
    paid: paid ? 6000 : 0,
    dueDate: due,
    legalDetails: '',
    footer: '',
    version: 2,
    createdAt: issuedAt,
    updatedAt: issuedAt,
    issuedAt,
  };
  const line = {
    id: newId(),
    invoiceId: id,
    position: 1,
    kind: 'service' as const,
    serviceId: a.serviceId,
    description: 'Physiotherapy',
    quantity: 1,
    unitPrice: 6000,
    discountBasisPoints: 0,
    discountAmount: 0,
    taxName: '',
    taxBasisPoints: 0,
    taxInclusive: false,
    net: 6000,
    tax: 0,
    gross: 6000,
  };
  const methods = ['cash', 'card', 'transfer'] as const;
  const payment = paid
    ? {
        id: newId(),
        invoiceId: id,
        patientId: a.patientId,
        method: methods[Math.floor(rng() * 3)]!,
        amount: 6000,
        reference: '',
        receivedAt: issuedAt,
        createdAt: issuedAt,
      }
    : null;
  return { invoice, line, payment };
}

async function insertBills(ctx: DbCtx, bills: ReturnType<typeof billOf>[]) {
  for (let i = 0; i < bills.length; i += 400) {
    const part = bills.slice(i, i + 400);
    await ctx.db.insert(ctx.t.invoices).values(part.map((b) => b.invoice));
    await ctx.db.insert(ctx.t.invoiceLines).values(part.map((b) => b.line));
    const payments = part.flatMap((b) => (b.payment ? [b.payment] : []));
    if (payments.length) await ctx.db.insert(ctx.t.payments).values(payments);
  }
}

async function addSmsAndTimeOff(app: App, db: TestDb, practitionerIds: string[], today: DateTime) {
  for (const id of practitionerIds) {
    for (let k = 0; k < 10; k++) {
      const day = today.minus({ days: 20 + k * 33 }).toISODate()!;
      await app.deps.availabilityAdmin.addTimeOff(systemActor, {
        practitionerId: id,
        fromDate: day,
        toDate: day,
      });
    }
  }
  const start = today.minus({ days: 365 }).toMillis();
  const rows = Array.from({ length: 30_000 }, (_, i) => {
    const at = new Date(start + Math.floor((i / 30_000) * 365 * 86_400_000));
    return {
      id: newId(),
      recipient: '+33600000000',
      channel: 'sms' as const,
      messageType: 'reminder',
      language: 'en',
      status: 'sent' as const,
      createdAt: at,
      updatedAt: at,
      sentAt: at,
    };
  });
  await db.tx(async (ctx) => {
    for (let i = 0; i < rows.length; i += 1000)
      await ctx.db.insert(ctx.t.deliveries).values(rows.slice(i, i + 1000));
  });
}

/** Seeds the clinic on `db`; `target` appointments in all, the last year's completed ones billed. */
export async function seedClinic(db: TestDb, target: number, practitioners: number): Promise<BenchClinic> {
  const app = await appOnDatabase(db, { smsMonthlyLimit: 5000 });
  const { adminId, generator, patientIds } = await addPeople(app, practitioners);
  const now = new Date();
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  const yearAgo = today.minus({ days: 366 }).toMillis();
  const rng = seededRandom(11);
  let invoices = 0;
  const appointments = await generateBenchAppointments({
    practitioners: generator,
    patientIds,
    target,
    now,
    today,
    emit: (rows) =>
      db.tx(async (ctx) => {
        await insertAppointmentsInBulk(ctx, rows);
        const bills = rows
          .filter((a) => a.status === 'completed' && (a.startAt as Date).getTime() >= yearAgo)
          .map((a) => billOf(a, rng, 'EUR'));
        invoices += bills.length;
        await insertBills(ctx, bills);
      }),
  });
  await addSmsAndTimeOff(
    app,
    db,
    generator.map((g) => g.id),
    today,
  );
  // The tables as a running clinic has them once autovacuum has passed: statistics, and on
  // PostgreSQL the visibility map (without it an index-only scan reads every row's heap page too).
  if (db.dialect === 'postgres') await execute(db.reader, sql`vacuum analyze`);
  else await db.tx((ctx) => execute(ctx, sql`analyze`));
  return { app, adminId, appointments, invoices, today };
}
