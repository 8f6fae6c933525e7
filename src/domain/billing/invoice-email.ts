import type { DbCtx } from '../../db/client.ts';
import { emailAddress } from '../../lib/contact.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { findLastSentDelivery } from '../notifications/index.ts';
import { maskAddress } from '../patients/index.ts';
import { recordChange } from '../record-change.ts';
import type { BillingDeps } from './billing.deps.ts';
import { invoiceSentMessage } from './billing.messages.ts';
import { notFoundInvoice } from './billing.policy.ts';
import { findInvoiceById, type InvoiceRow } from './billing.repo.ts';

/**
 * Queues the invoice's email to its payer in `ctx`'s transaction (the outbox): a patient or
 * guardian payer by their email address (a dependant without one: their guardians'); a third
 * party has no address on record, so nothing is sent. Either way an `invoice.email` audit row
 * says what happened. The PDF is not made here: the job makes it when it sends
 * (billing.messages.ts), from the invoice as it is then, so nothing waits in memory across a restart.
 * `key` makes a re-run send nothing twice (issuing: once per invoice; "Send": once per click).
 */
export async function queueInvoiceEmail(
  deps: BillingDeps,
  ctx: DbCtx,
  actor: Actor,
  row: InvoiceRow,
  key: string,
): Promise<number> {
  const queued =
    deps.notify && row.payerPatientId
      ? await deps.notify.dispatch(ctx, {
          type: invoiceSentMessage.type,
          to: { patientId: row.payerPatientId },
          params: { invoiceId: row.id },
          key,
          channels: ['email'],
        })
      : 0;
  const reason = row.payerPatientId ? 'the payer has no email address' : 'a third-party payer has no email';
  await recordChange(
    deps.audit,
    ctx,
    actor,
    'invoice.email',
    row,
    queued > 0 ? { queued } : { queued: 0, reason },
  );
  return queued;
}

/**
 * Staff send (again) an issued invoice to its payer (billing.manage). 409 `invoice_not_issued` for a
 * draft; 409 `payer_no_email` when there is nobody to send it to (recorded all the same).
 */
export async function sendInvoice(deps: BillingDeps, actor: Actor, id: string): Promise<{ queued: number }> {
  await staffWhoCan(deps.db.reader, actor, 'billing.manage');
  const queued = await deps.db.tx(async (ctx) => {
    const row = await findInvoiceById(ctx, id);
    if (!row) throw notFoundInvoice();
    if (row.status === 'draft')
      throw new AppError('invoice_not_issued', 'Issue the invoice before sending it.', { status: 409 });
    return queueInvoiceEmail(deps, ctx, actor, row, `invoice-send:${row.id}:${newId()}`);
  });
  if (queued === 0)
    throw new AppError(
      'payer_no_email',
      'The payer has no email address on record: print the invoice and give or post it instead.',
      { status: 409 },
    );
  return { queued };
}

/** When an invoice was last emailed (its delivery sent), to whom, partly hidden (`a…e@example.com`). */
export interface LastEmailed {
  at: Date;
  to: string;
}

/**
 * When `row` was last emailed to its payer, from the delivery log the dispatcher keeps: the last
 * of its emails (on issue, or sent again) that left, or null — never sent, still queued, failed,
 * or a third party with no address. The keys are those `queueInvoiceEmail` is given.
 */
export async function lastEmailOf(ctx: DbCtx, row: InvoiceRow): Promise<LastEmailed | null> {
  if (!row.payerPatientId) return null;
  const sent = await findLastSentDelivery(ctx, {
    patientId: row.payerPatientId,
    messageType: invoiceSentMessage.type,
    keyPrefixes: [`invoice-issued:${row.id}:`, `invoice-send:${row.id}:`],
  });
  return sent?.sentAt ? { at: sent.sentAt, to: maskAddress(emailAddress(sent.recipient)) } : null;
}
