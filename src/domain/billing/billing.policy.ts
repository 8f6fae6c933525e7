import { notFound } from '../../lib/errors.ts';
import { type ActingStaff, can, type Permission, refuseUnlessCan } from '../accounts/index.ts';
import { patientScope } from '../patients/index.ts';
import type { BillingDeps } from './billing.deps.ts';
import { findInvoiceById, type InvoiceRow } from './billing.repo.ts';

/**
 * Who may do what with invoices. `billing.manage` (the front desk and admins) makes, changes,
 * issues and voids invoices and takes payments; `billing.read` adds practitioners, who read the
 * invoices of their own patients: those made for them, or of a patient they have seen. A patient
 * reads their own invoices and their dependants' (`patientScope`); anything else is "not found".
 * The route's policy checked the permission already; this checks again with the role read now.
 */
export type BillingStaff = ActingStaff;

export function assertCan(who: BillingStaff, permission: Permission): void {
  refuseUnlessCan(who.role, permission);
}

/** Whether the member reads every invoice (billing.manage) or only their own patients'. */
export const readsAll = (who: BillingStaff): boolean => can(who.role, 'billing.manage');

/** The invoice, if the member may read it; else 404 (a practitioner's probe looks like a missing one). */
export async function readableBy(
  deps: Pick<BillingDeps, 'appointments'>,
  who: BillingStaff,
  invoice: InvoiceRow | null,
): Promise<InvoiceRow> {
  if (!invoice) throw notFoundInvoice();
  assertCan(who, 'billing.read');
  if (readsAll(who)) return invoice;
  if (invoice.practitionerId === who.actor.id) return invoice;
  if (await deps.appointments.hasSeen(who.actor.id, invoice.patientId)) return invoice;
  throw notFoundInvoice();
}

/** Whose invoices a signed-in patient reaches: their own and their dependants'. */
export const scopeOf = (deps: Pick<BillingDeps, 'db' | 'clock'>, patientId: string): Promise<Set<string>> =>
  patientScope(deps.db.reader, patientId, deps.clock.now());

export const notFoundInvoice = () => notFound('That invoice');

/** One of the signed-in patient's own invoices (issued; theirs or a dependant's); else 404. */
export async function ownInvoiceOf(
  deps: Pick<BillingDeps, 'db' | 'clock'>,
  patientId: string,
  id: string,
): Promise<InvoiceRow> {
  const scope = await scopeOf(deps, patientId);
  const row = await findInvoiceById(deps.db.reader, id);
  if (!row || row.status === 'draft' || !scope.has(row.patientId)) throw notFoundInvoice();
  return row;
}
