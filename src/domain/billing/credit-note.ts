import type { DbCtx } from '../../db/client.ts';
import { AppError, conflict, fieldIssue, validated, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import type { BillingDeps } from './billing.deps.ts';

import { type InvoiceRow, type LineRow, listCreditNotesOf, listLinesOf } from './billing.repo.ts';
import { type BillingSettings, creditNoteInput } from './billing.schema.ts';
import { readSettings } from './catalogue.ts';
import { insertDraft, saveInvoice, staffInvoiceChange } from './invoice-change.ts';
import { queueInvoiceEmail } from './invoice-email.ts';
import { issueInTx } from './issue-invoice.ts';
import { lineAmounts, totalsOf } from './money.ts';

/**
 * Corrections. An issued invoice never changes: a credit note — a negative invoice referencing it,
 * numbered in the same series — takes back some or all of its lines (same prices, discounts and
 * rates, so by the symmetric rounding rule exactly the opposite amounts). Money paid back is then
 * a negative payment on the credit note (a refund), or its amount goes to the patient's credit.
 */

/**
 * Writes and issues a credit note for `lines` (each with the quantity taken back) of `invoice`,
 * and queues its email to the payer (as issuing an invoice does).
 */
async function writeCreditNote(
  deps: BillingDeps,
  ctx: DbCtx,
  actor: Actor,
  settings: BillingSettings,
  invoice: InvoiceRow,
  taken: { line: LineRow; quantity: number }[],
  options: { note?: string | undefined; origin: InvoiceRow['origin']; status?: InvoiceRow['status'] },
): Promise<InvoiceRow> {
  const now = deps.clock.now();
  const id = newId();
  const lines: LineRow[] = taken.map(({ line, quantity }, i) => {
    // Negative unit price, the same quantity basis: the line's exact opposite (money.ts).
    const amounts = lineAmounts({
      quantity,
      unitPrice: -line.unitPrice,
      discountBasisPoints: line.discountBasisPoints,
      discountAmount: quantity === line.quantity ? line.discountAmount : 0,
      taxBasisPoints: line.taxBasisPoints,
      taxInclusive: line.taxInclusive,
    });
    return {
      ...line,
      id: newId(),
      invoiceId: id,
      position: i + 1,
      quantity,
      unitPrice: -line.unitPrice,
      ...amounts,
    };
  });
  const totals = totalsOf(lines);
  const credited = (await listCreditNotesOf(ctx, invoice.id)).reduce((sum, c) => sum + c.total, 0);
  if (invoice.total + credited + totals.total < 0)
    throw conflict('This would credit more than the invoice’s total.', 'credit_exceeds_invoice');
  const draft = await insertDraft(
    deps,
    ctx,
    actor,
    now,
    {
      ...invoice,
      id,
      kind: 'credit_note',
      creditsInvoiceId: invoice.id,
      origin: options.origin,
      note: options.note ?? '',
      subtotal: totals.subtotal,
      taxTotal: totals.taxTotal,
      total: totals.total,
      dueDate: null,
    },
    lines,
    { kind: 'credit_note', credits: invoice.id },
  );
  const issued = await issueInTx(
    deps,
    ctx,
    actor,
    settings,
    draft,
    options.status ? { status: options.status } : {},
  );
  // Emailed to the payer like an issued invoice (the same message and send job, its PDF made then).
  await queueInvoiceEmail(deps, ctx, actor, issued, `invoice-issued:${issued.id}`);
  return issued;
}

/**
 * Staff credit an issued invoice (`{lines?: [{position, quantity?}], note?}`; all lines by
 * default): the credit note is issued at once. Never more than the invoice's total altogether.
 */
export const creditInvoice = staffInvoiceChange({
  prepare: async (deps, input) => ({
    data: validated(creditNoteInput, input ?? {}),
    settings: await readSettings(deps),
  }),
  async change(ctx, invoice, { deps, actor, prepared: { data, settings } }) {
    if (invoice.kind !== 'invoice' || !['issued', 'part_paid', 'paid'].includes(invoice.status))
      throw conflict('Only an issued invoice can be credited.', 'invoice_not_issued');
    const lines = await listLinesOf(ctx, [invoice.id]);
    const taken = data.lines
      ? data.lines.map((pick, i) => {
          const line = lines.find((l) => l.position === pick.position);
          const quantity = pick.quantity ?? line?.quantity ?? 0;
          if (!line || quantity > line.quantity)
            throw validationFailed([fieldIssue(`lines.${i}`, 'No such line, or more than it holds.')]);
          return { line, quantity };
        })
      : lines.map((line) => ({ line, quantity: line.quantity }));
    return writeCreditNote(deps, ctx, actor, settings, invoice, taken, { note: data.note, origin: 'manual' });
  },
});

/**
 * Voids an invoice. A draft simply becomes void. An issued invoice with nothing paid becomes void
 * and is cancelled by a credit note of all its lines (settled at once: nothing to pay back), so
 * the numbered sequence keeps both. Once money was taken: 409 `invoice_has_payments` (credit it
 * and refund instead). A credit note cannot be voided.
 */
export const voidInvoice = staffInvoiceChange({
  prepare: (deps) => readSettings(deps),
  async change(ctx, invoice, { deps, actor, prepared: settings }) {
    if (invoice.status === 'void') throw conflict('This invoice is void already.', 'invoice_void');
    if (invoice.kind === 'credit_note') throw conflict('A credit note cannot be voided.', 'invoice_issued');
    if (invoice.paid !== 0 || invoice.status === 'part_paid')
      throw new AppError(
        'invoice_has_payments',
        'Payments were taken: credit the invoice and refund instead.',
        {
          status: 409,
        },
      );
    const now = deps.clock.now();
    if (invoice.status !== 'draft') {
      if ((await listCreditNotesOf(ctx, invoice.id)).length)
        throw new AppError(
          'invoice_has_payments',
          'This invoice has credit notes: credit the rest instead.',
          {
            status: 409,
          },
        );
      const lines = await listLinesOf(ctx, [invoice.id]);
      await writeCreditNote(
        deps,
        ctx,
        actor,
        settings,
        invoice,
        lines.map((line) => ({ line, quantity: line.quantity })),
        {
          origin: 'void',
          status: 'paid',
        },
      );
    }
    return saveInvoice(
      deps,
      ctx,
      actor,
      invoice,
      { status: 'void', voidedAt: now, updatedAt: now },
      { action: 'invoice.void', details: { was: invoice.status } },
    );
  },
});
