import type { DbCtx } from '../../db/client.ts';
import { conflict, fieldIssue, notFound, validated, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientById } from '../patients/index.ts';
import type { BillingDeps } from './billing.deps.ts';

import { findDraftOfAppointment, type InvoiceRow } from './billing.repo.ts';
import { type BillingSettings, createInvoiceInput, type PayerData } from './billing.schema.ts';
import { readSettings } from './catalogue.ts';
import { insertDraft } from './invoice-change.ts';
import { type InvoiceView, invoiceViewOf } from './invoice-view.ts';
import { totalsOf } from './money.ts';
import { payerColumns } from './payer.ts';
import { draftsOfInput, type LineDraft, pricedLines } from './price-lines.ts';

/** What a new draft is made of besides its lines. */
export interface DraftFields {
  patientId: string;
  appointmentId?: string | null;
  practitionerId?: string | null;
  origin: InvoiceRow['origin'];
  payer?: PayerData | undefined;
  dueDate?: string | null | undefined;
  note?: string | undefined;
}

/**
 * Writes a draft and its priced lines in the caller's transaction, audited `invoice.create`
 * (ids only). Used by staff (by hand, or from an appointment) and by the completion and fee hooks.
 */
export async function writeDraft(
  deps: BillingDeps,
  ctx: DbCtx,
  actor: Actor,
  settings: BillingSettings,
  fields: DraftFields,
  drafts: readonly LineDraft[],
): Promise<InvoiceRow> {
  const now = deps.clock.now();
  const id = newId();
  const lines = await pricedLines(ctx, id, drafts);
  const totals = totalsOf(lines);
  return insertDraft(
    deps,
    ctx,
    actor,
    now,
    {
      id,
      kind: 'invoice',
      patientId: fields.patientId,
      appointmentId: fields.appointmentId ?? null,
      practitionerId: fields.practitionerId ?? null,
      creditsInvoiceId: null,
      origin: fields.origin,
      currency: settings.currency,
      ...(await payerColumns(ctx, now, fields.patientId, fields.payer)),
      note: fields.note ?? '',
      subtotal: totals.subtotal,
      taxTotal: totals.taxTotal,
      total: totals.total,
      dueDate: fields.dueDate ?? null,
      legalDetails: '',
      footer: '',
    },
    lines,
    { origin: fields.origin, lines: lines.length },
  );
}

/**
 * Staff make a draft: by hand (`{patientId, lines}`) or from an appointment (`{appointmentId}`:
 * its service at its practitioner's price, unless lines are given) — the completion's "Make
 * invoice" button. One open draft per appointment: a second is 409 `invoice_exists`.
 */
export async function createInvoice(deps: BillingDeps, actor: Actor, input: unknown): Promise<InvoiceView> {
  await staffWhoCan(deps.db.reader, actor, 'billing.manage');
  const data = validated(createInvoiceInput, input);
  const settings = await readSettings(deps);
  let patientId = data.patientId!;
  let practitionerId = data.practitionerId ?? null;
  let lines = data.lines ?? [];
  if (data.appointmentId) {
    const found = await deps.appointments.forNotification(data.appointmentId);
    if (!found) throw notFound('That appointment');
    const a = found.appointment;
    if (data.patientId && data.patientId !== a.patientId)
      throw validationFailed([fieldIssue('patientId', 'The appointment is another patient’s.')]);
    patientId = a.patientId;
    practitionerId = a.practitionerId;
    if (!data.lines) lines = [{ serviceId: a.serviceId, quantity: 1 }];
  }
  if (!(await findPatientById(deps.db.reader, patientId)))
    throw validationFailed([fieldIssue('patientId', 'No such patient.')]);
  const drafts = await draftsOfInput(deps, deps.db.reader, settings, lines, practitionerId);
  const row = await deps.db.tx(async (ctx) => {
    if (data.appointmentId && (await findDraftOfAppointment(ctx, data.appointmentId, 'appointment')))
      throw conflict('This appointment has a draft invoice already.', 'invoice_exists');
    return writeDraft(
      deps,
      ctx,
      actor,
      settings,
      {
        patientId,
        appointmentId: data.appointmentId ?? null,
        practitionerId,
        origin: data.appointmentId ? 'appointment' : 'manual',
        payer: data.payer,
        dueDate: data.dueDate,
        note: data.note,
      },
      drafts,
    );
  });
  return invoiceViewOf(deps, row);
}
