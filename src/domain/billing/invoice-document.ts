import type { DbCtx } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import { actingStaff } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientById } from '../patients/index.ts';
import type { BillingDeps } from './billing.deps.ts';
import { ownInvoiceOf, readableBy } from './billing.policy.ts';
import { findInvoiceById, type InvoiceRow } from './billing.repo.ts';
import { legalDetailsOf } from './billing.schema.ts';
import { readSettings } from './catalogue.ts';
import { readLogo } from './clinic-logo.ts';
import { renderInvoicePdf } from './invoice-pdf.ts';
import { invoiceViews } from './invoice-view.ts';

/**
 * Invoices and receipts as PDF files, for staff who may read the invoice (billing.policy.ts) and
 * for the patient app (their family's issued invoices, scoped here). Every file made for a person
 * is an audited read (`invoice.pdf`, with its kind). A draft prints as an invoice marked DRAFT —
 * staff check it before issuing — but has no receipt (nothing can be paid on it): 409.
 */
export type PdfKind = 'invoice' | 'receipt';

export interface InvoiceFile {
  bytes: Uint8Array;
  /** `INV-2026-00042.pdf`, `INV-2026-00042-receipt.pdf`; a draft `draft-<id>.pdf`. */
  fileName: string;
}

/** Staff (billing.read; a practitioner only their own patients'): 404 as reading it would be. */
export async function invoicePdf(deps: BillingDeps, actor: Actor, id: string, kind: PdfKind) {
  const who = await actingStaff(deps.db.reader, actor);
  const row = await readableBy(deps, who, await findInvoiceById(deps.db.reader, id));
  return auditedFile(deps, actor, row, kind);
}

/** The signed-in patient's (and their dependants') issued invoices; any other: 404. */
export async function ownInvoicePdf(
  deps: BillingDeps,
  actor: Actor & { id: string },
  id: string,
  kind: PdfKind,
): Promise<InvoiceFile> {
  return auditedFile(deps, actor, await ownInvoiceOf(deps, actor.id, id), kind);
}

async function auditedFile(deps: BillingDeps, actor: Actor, row: InvoiceRow, kind: PdfKind) {
  if (kind === 'receipt' && row.status === 'draft')
    throw new AppError('invoice_not_issued', 'A draft has no receipt: issue it first.', { status: 409 });
  const file = await invoiceFile(deps, deps.db.reader, row, kind);
  await deps.audit.recordRead(actor, {
    action: 'invoice.pdf',
    entity: 'invoice',
    entityId: row.id,
    patientId: row.patientId,
    details: { kind },
  });
  return file;
}

/**
 * The PDF of `row` as it is in `ctx` now (the email job makes it at send time, so nothing is
 * held across a restart): its view, the clinic, the legal details and footer it was issued with
 * (a draft: the billing settings' now: legal name, address, tax number, mentions, bank details), the
 * clinic's logo as it is now (clinic-logo.ts), the patient's name, a credit note's invoice number.
 */
export async function invoiceFile(
  deps: Pick<BillingDeps, 'db' | 'clinic'>,
  ctx: DbCtx,
  row: InvoiceRow,
  kind: PdfKind,
): Promise<InvoiceFile> {
  const [[view], clinic, settings, logo, patient, credited] = await Promise.all([
    invoiceViews(ctx, [row]),
    deps.clinic.get(ctx),
    readSettings(deps, ctx),
    readLogo(deps, ctx),
    findPatientById(ctx, row.patientId),
    row.creditsInvoiceId ? findInvoiceById(ctx, row.creditsInvoiceId) : null,
  ]);
  const draft = row.status === 'draft';
  const bytes = await renderInvoicePdf({
    invoice: view!,
    kind,
    clinic,
    legalDetails: draft ? legalDetailsOf(settings) : row.legalDetails,
    footer: draft ? settings.footer : row.footer,
    patientName: patient ? `${patient.firstName} ${patient.lastName}` : null,
    creditsNumber: credited?.number ?? null,
    logo,
  });
  const base = row.number ?? `draft-${row.id}`;
  return { bytes, fileName: `${base}${kind === 'receipt' ? '-receipt' : ''}.pdf`.replace(/[^\w.-]+/g, '-') };
}
