import { DateTime } from 'luxon';
import { z } from 'zod';
import { validated } from '../../lib/errors.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientNames, listActiveGuardians } from '../patients/index.ts';
import type { BillingDeps } from './billing.deps.ts';
import { type BillingStaff, readsAll } from './billing.policy.ts';
import { creditBalance, type InvoiceRow, listCreditNotesOf } from './billing.repo.ts';
import { invoiceStatuses } from './billing.schema.ts';
import {
  listInvoicesOfAppointments,
  listRegister,
  type RegisterQuery,
  sumOutstanding,
  sumTakings,
} from './invoice-register.repo.ts';
import type { InvoiceView } from './invoice-view.ts';

/**
 * The staff invoice register (issue 20's pages): the list with its filters (status, date range,
 * patients, outstanding only, proposed fees) and paging, the day's money at its top, a patient's
 * invoices and credit for the chart, the invoices of appointments for the calendar and Today.
 * The front desk and admins see every invoice; a practitioner those made for them (and, when
 * patients are named, the invoices of those they have seen). Every read is audited.
 */

const day = z.iso.date({ error: 'A date as YYYY-MM-DD.' });
const blankIsUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

export const PAGE_SIZE = 50;

export const registerFilterInput = z.strictObject({
  status: z.preprocess(blankIsUndefined, z.enum(invoiceStatuses).optional()),
  from: z.preprocess(blankIsUndefined, day.optional()),
  to: z.preprocess(blankIsUndefined, day.optional()),
  outstanding: z.preprocess((v) => v === true || v === 'on' || v === '1', z.boolean()).default(false),
  /** `fee`: the no-show and late-cancellation fees. */
  origin: z.preprocess(blankIsUndefined, z.enum(['fee']).optional()),
  page: z.preprocess(blankIsUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
});
export type RegisterFilter = z.infer<typeof registerFilterInput>;

/** A row of the register: the invoice and its patient's name. */
export type RegisterRow = Pick<
  InvoiceRow,
  | 'id'
  | 'kind'
  | 'number'
  | 'status'
  | 'origin'
  | 'patientId'
  | 'appointmentId'
  | 'currency'
  | 'total'
  | 'paid'
  | 'dueDate'
  | 'createdAt'
  | 'issuedAt'
> & { patientName: string; balance: number };

export interface Register {
  rows: RegisterRow[];
  total: number;
  page: number;
  pages: number;
  outstanding: number;
  takings: { total: number; byMethod: { method: string; amount: number }[] };
}

async function rowsOf(deps: BillingDeps, rows: InvoiceRow[]): Promise<RegisterRow[]> {
  const names = await findPatientNames(deps.db.reader, [...new Set(rows.map((r) => r.patientId))]);
  return rows.map((r) => {
    const n = names.get(r.patientId);
    return {
      id: r.id,
      kind: r.kind,
      number: r.number,
      status: r.status,
      origin: r.origin,
      patientId: r.patientId,
      appointmentId: r.appointmentId,
      currency: r.currency,
      total: r.total,
      paid: r.paid,
      dueDate: r.dueDate,
      createdAt: r.createdAt,
      issuedAt: r.issuedAt,
      patientName: n ? `${n.firstName} ${n.lastName}` : '—',
      balance: r.status === 'void' || r.status === 'draft' ? 0 : r.total - r.paid,
    };
  });
}

/** A practitioner's scope (null: every invoice), with the named patients they have seen. */
async function scopeFor(
  deps: BillingDeps,
  who: BillingStaff,
  patientIds?: readonly string[],
): Promise<RegisterQuery['scope'] | undefined> {
  if (readsAll(who)) return undefined;
  const seen: string[] = [];
  for (const id of patientIds ?? []) if (await deps.appointments.hasSeen(who.actor.id, id)) seen.push(id);
  return { practitionerId: who.actor.id, patientIds: seen };
}

/**
 * The register: one page of invoices matching `input` (and `patientIds`, the patients a name
 * search found), with what is outstanding and the day's takings (in the clinic's time zone).
 */
export async function readRegister(
  deps: BillingDeps,
  actor: Actor,
  input: unknown,
  patientIds?: readonly string[],
): Promise<Register> {
  const who = await staffWhoCan(deps.db.reader, actor, 'billing.read');
  const f = validated(registerFilterInput, input ?? {});
  const { timeZone } = await deps.clinic.get();
  const local = (d: string) => DateTime.fromISO(d, { zone: timeZone }).startOf('day');
  const scope = await scopeFor(deps, who, patientIds);
  const query: RegisterQuery = {
    ...(f.status ? { statuses: [f.status] } : f.outstanding ? { statuses: ['issued', 'part_paid'] } : {}),
    ...(f.origin ? { origins: ['no_show', 'late_cancel'] } : {}),
    ...(f.from ? { from: local(f.from).toJSDate() } : {}),
    ...(f.to ? { to: local(f.to).plus({ days: 1 }).toJSDate() } : {}),
    ...(patientIds ? { patientIds } : {}),
    ...(scope ? { scope } : {}),
    offset: (f.page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
  const today = DateTime.fromJSDate(deps.clock.now(), { zone: timeZone }).startOf('day');
  const [found, outstanding, byMethod] = await Promise.all([
    listRegister(deps.db.reader, query),
    sumOutstanding(deps.db.reader, scope),
    sumTakings(deps.db.reader, today.toJSDate(), today.plus({ days: 1 }).toJSDate(), scope),
  ]);
  await deps.audit.recordRead(actor, {
    action: 'invoice.list',
    entity: 'invoice',
    details: { count: found.rows.length, page: f.page },
  });
  return {
    rows: await rowsOf(deps, found.rows),
    total: found.total,
    page: f.page,
    pages: Math.max(1, Math.ceil(found.total / PAGE_SIZE)),
    outstanding,
    takings: { total: byMethod.reduce((s, m) => s + m.amount, 0), byMethod },
  };
}

/** A patient's invoices (newest first, at most 50) and credit on account, for their chart. Audited. */
export async function readPatientAccount(
  deps: BillingDeps,
  actor: Actor,
  patientId: string,
): Promise<{ rows: RegisterRow[]; credit: number }> {
  const who = await staffWhoCan(deps.db.reader, actor, 'billing.read');
  const scope = await scopeFor(deps, who, [patientId]);
  const [found, credit] = await Promise.all([
    listRegister(deps.db.reader, {
      patientIds: [patientId],
      ...(scope ? { scope } : {}),
      offset: 0,
      limit: 50,
    }),
    creditBalance(deps.db.reader, patientId),
  ]);
  await deps.audit.recordRead(actor, {
    action: 'invoice.list',
    entity: 'invoice',
    patientId,
    details: { count: found.rows.length },
  });
  return { rows: await rowsOf(deps, found.rows), credit };
}

/** The invoices (not credit notes) made for these appointments that the member may read. Audited. */
export async function readAppointmentInvoices(
  deps: BillingDeps,
  actor: Actor,
  appointmentIds: readonly string[],
): Promise<RegisterRow[]> {
  const who = await staffWhoCan(deps.db.reader, actor, 'billing.read');
  const rows = (await listInvoicesOfAppointments(deps.db.reader, appointmentIds)).filter(
    (r) => readsAll(who) || r.practitionerId === who.actor.id,
  );
  if (rows.length)
    await deps.audit.recordRead(actor, {
      action: 'invoice.list',
      entity: 'invoice',
      details: { count: rows.length },
    });
  return rowsOf(deps, rows);
}

/**
 * What the invoice page shows beside an invoice the member has read (`billing.get`, audited):
 * its patient's name and guardians (who may pay), their credit, and its credit notes.
 */
export async function readInvoiceContext(deps: BillingDeps, actor: Actor, invoice: InvoiceView) {
  await staffWhoCan(deps.db.reader, actor, 'billing.read');
  const ctx = deps.db.reader;
  const [names, guardians, credit, creditNotes] = await Promise.all([
    findPatientNames(ctx, [invoice.patientId]),
    listActiveGuardians(ctx, invoice.patientId, deps.clock.now()),
    creditBalance(ctx, invoice.patientId),
    invoice.kind === 'invoice' ? listCreditNotesOf(ctx, invoice.id) : Promise.resolve([]),
  ]);
  const n = names.get(invoice.patientId);
  return {
    patientName: n ? `${n.firstName} ${n.lastName}` : '—',
    guardians: guardians.map((g) => ({ id: g.id, name: `${g.firstName} ${g.lastName}` })),
    credit,
    creditNotes: creditNotes.map((c) => ({ id: c.id, number: c.number, total: c.total, status: c.status })),
  };
}

export type InvoiceContext = Awaited<ReturnType<typeof readInvoiceContext>>;
