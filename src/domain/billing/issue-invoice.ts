import { DateTime } from 'luxon';
import type { DbCtx } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import type { BillingDeps } from './billing.deps.ts';

import {
  findInvoiceById,
  type InvoiceRow,
  listLinesOf,
  nextNumber,
  updateInvoiceAt,
} from './billing.repo.ts';
import { type BillingSettings, legalDetailsOf } from './billing.schema.ts';
import { readSettings } from './catalogue.ts';
import { invoiceChanged, staffInvoiceChange } from './invoice-change.ts';
import { queueInvoiceEmail } from './invoice-email.ts';
import { statusFor } from './invoice-view.ts';
import { invoiceIssued } from './price-lines.ts';

/**
 * Numbers: `INV-<year>-<00042>`, one series per year (the year of issue in the clinic's time
 * zone). Credit notes take their numbers from the same series, so the clinic's documents form one
 * unbroken sequence a tax inspector can check.
 */
export const invoiceNumber = (year: number, n: number) => `INV-${year}-${String(n).padStart(5, '0')}`;

/**
 * Issues a draft in the caller's transaction: the next number of the year's series (its counter
 * row locked until commit — no gap, no duplicate, across instances), the issue date, the due date
 * (the draft's, else today + the clinic's days), the currency, legal details and footer as they
 * are now. From then on the invoice never changes but for its payment status.
 */
export async function issueInTx(
  deps: BillingDeps,
  ctx: DbCtx,
  actor: Actor,
  settings: BillingSettings,
  invoice: InvoiceRow,
  options: { status?: InvoiceRow['status'] } = {},
): Promise<InvoiceRow> {
  if (invoice.status !== 'draft') throw invoiceIssued();
  const lines = await listLinesOf(ctx, [invoice.id]);
  if (lines.length === 0)
    throw new AppError('invoice_empty', 'An invoice needs at least one line to be issued.', { status: 409 });
  const { timeZone } = await deps.clinic.get(ctx);
  const now = deps.clock.now();
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  const n = await nextNumber(ctx, `INV-${today.year}`);
  const row = await updateInvoiceAt(ctx, invoice.id, invoice.version, ['draft'], {
    number: invoiceNumber(today.year, n),
    status: options.status ?? (invoice.total === 0 ? 'paid' : statusFor(invoice.total, 0)),
    issuedAt: now,
    dueDate: invoice.dueDate ?? today.plus({ days: settings.dueDays }).toISODate(),
    currency: settings.currency,
    legalDetails: legalDetailsOf(settings),
    footer: settings.footer,
    updatedAt: now,
  });
  if (!row)
    throw (await findInvoiceById(ctx, invoice.id))?.status === 'draft' ? invoiceChanged() : invoiceIssued();
  await recordChange(deps.audit, ctx, actor, 'invoice.issue', row, { number: row.number, kind: row.kind });
  return row;
}

/** Staff issue a draft (billing.manage): 409 `invoice_issued` when it is not a draft any more. */
export const issueInvoice = staffInvoiceChange({
  prepare: (deps) => readSettings(deps),
  async change(ctx, invoice, { deps, actor, prepared: settings }) {
    const issued = await issueInTx(deps, ctx, actor, settings, invoice);
    // Emailed to the payer with its PDF (made by the job when it sends).
    await queueInvoiceEmail(deps, ctx, actor, issued, `invoice-issued:${issued.id}`);
    return issued;
  },
});
