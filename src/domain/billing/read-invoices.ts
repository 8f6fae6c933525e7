import { z } from 'zod';
import { validated } from '../../lib/errors.ts';
import { actingStaff, staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { BillingDeps } from './billing.deps.ts';
import { ownInvoiceOf, readableBy, readsAll, scopeOf } from './billing.policy.ts';
import { findInvoiceById, type InvoiceRow, listInvoices } from './billing.repo.ts';
import { invoiceStatuses } from './billing.schema.ts';
import { lastEmailOf } from './invoice-email.ts';
import { type InvoiceView, invoiceViewOf, invoiceViews } from './invoice-view.ts';

/** Reading invoices: every read is audited (invoices are health-adjacent: they name visits). */

export const listFilterInput = z.strictObject({
  patientId: z.string().trim().min(1).max(64).optional(),
  status: z.enum(invoiceStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * One invoice for staff (billing.read; a practitioner only their own patients'), with when it was
 * last emailed to its payer.
 */
export async function readInvoice(deps: BillingDeps, actor: Actor, id: string): Promise<InvoiceView> {
  const who = await actingStaff(deps.db.reader, actor);
  const row = await readableBy(deps, who, await findInvoiceById(deps.db.reader, id));
  const [view, lastEmailed] = await Promise.all([
    auditedView(deps, actor, row),
    lastEmailOf(deps.db.reader, row),
  ]);
  return { ...view, lastEmailed };
}

/** The view of an invoice read, audited `invoice.read`. */
async function auditedView(deps: BillingDeps, actor: Actor, row: InvoiceRow): Promise<InvoiceView> {
  await deps.audit.recordRead(actor, {
    action: 'invoice.read',
    entity: 'invoice',
    entityId: row.id,
    patientId: row.patientId,
  });
  return invoiceViewOf(deps, row);
}

/**
 * Invoices for staff, newest first: all of them (or one patient's) for billing.manage; for a
 * practitioner those made for them (a patient they have seen: that patient's). Audited as one read.
 */
export async function listInvoicesForStaff(
  deps: BillingDeps,
  actor: Actor,
  input: unknown,
): Promise<InvoiceView[]> {
  const who = await staffWhoCan(deps.db.reader, actor, 'billing.read');
  const filter = validated(listFilterInput, input ?? {});
  const status = filter.status ? { status: filter.status } : {};
  const patient = filter.patientId ? { patientIds: [filter.patientId] } : {};
  // A practitioner: invoices made for them, or all of a patient they have seen when they name one.
  const seen =
    !readsAll(who) && filter.patientId
      ? await deps.appointments.hasSeen(who.actor.id, filter.patientId)
      : false;
  const rows = await listInvoices(deps.db.reader, {
    ...patient,
    ...status,
    ...(readsAll(who) || seen ? {} : { practitionerId: who.actor.id }),
    limit: filter.limit,
  });
  await deps.audit.recordListRead(
    actor,
    { action: 'invoice.list', entity: 'invoice', patientId: filter.patientId ?? null },
    rows,
  );
  return invoiceViews(deps.db.reader, rows);
}

/**
 * The signed-in patient's invoices and their dependants' — issued ones only (drafts are the
 * clinic's work in progress), newest first. The scope is applied here, in the domain. Audited.
 */
export async function listOwnInvoices(
  deps: BillingDeps,
  actor: Actor & { id: string },
): Promise<InvoiceView[]> {
  const scope = await scopeOf(deps, actor.id);
  const rows = (await listInvoices(deps.db.reader, { patientIds: [...scope], limit: 500 })).filter(
    (r) => r.status !== 'draft',
  );
  await deps.audit.recordListRead(
    actor,
    { action: 'invoice.list', entity: 'invoice', patientId: actor.id },
    rows,
  );
  return invoiceViews(deps.db.reader, rows);
}

/** One of the patient's own invoices (issued; their family's): 404 otherwise. Audited. */
export async function readOwnInvoice(
  deps: BillingDeps,
  actor: Actor & { id: string },
  id: string,
): Promise<InvoiceView> {
  return auditedView(deps, actor, await ownInvoiceOf(deps, actor.id, id));
}
