import { AppError, validated } from '../../lib/errors.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import type { BillingDeps } from './billing.deps.ts';
import { notFoundInvoice } from './billing.policy.ts';
import { deleteLinesOf, findInvoiceById, insertLines, updateInvoiceAt } from './billing.repo.ts';
import { updateInvoiceInput } from './billing.schema.ts';
import { readSettings } from './catalogue.ts';
import { changeInvoice } from './invoice-change.ts';
import type { InvoiceView } from './invoice-view.ts';
import { totalsOf } from './money.ts';
import { payerColumns } from './payer.ts';
import { draftsOfInput, invoiceIssued, pricedLines } from './price-lines.ts';

/** 409 `version_conflict`: the draft was changed meanwhile; nothing was changed. */
export const invoiceChanged = () =>
  new AppError('version_conflict', 'This invoice was changed meanwhile: reload it.', { status: 409 });

/**
 * Changes a draft: its lines (all replaced, priced again), payer, due date or note. Anything but a
 * draft is 409 `invoice_issued` (void too: it never changes either). With `version`, a stale one
 * is 409 `version_conflict`. Bad input changes nothing (checked before the transaction, and the
 * transaction rolls back on any later refusal).
 */
export async function updateInvoice(
  deps: BillingDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<InvoiceView> {
  await staffWhoCan(deps.db.reader, actor, 'billing.manage');
  const data = validated(updateInvoiceInput, input);
  const settings = await readSettings(deps);
  const before = await findInvoiceById(deps.db.reader, id);
  if (!before) throw notFoundInvoice();
  if (before.status !== 'draft') throw invoiceIssued();
  const drafts = data.lines
    ? await draftsOfInput(deps, deps.db.reader, settings, data.lines, before.practitionerId)
    : null;
  return changeInvoice(deps, id, async (ctx, current) => {
    if (current.status !== 'draft') throw invoiceIssued();
    if (data.version !== undefined && data.version !== current.version) throw invoiceChanged();
    let totals = {};
    if (drafts) {
      const lines = await pricedLines(ctx, id, drafts);
      await deleteLinesOf(ctx, id);
      await insertLines(ctx, lines);
      const t = totalsOf(lines);
      totals = { subtotal: t.subtotal, taxTotal: t.taxTotal, total: t.total };
    }
    const updated = await updateInvoiceAt(ctx, id, current.version, ['draft'], {
      ...totals,
      ...(data.payer ? await payerColumns(ctx, deps.clock.now(), current.patientId, data.payer) : {}),
      ...(data.dueDate !== undefined ? { dueDate: data.dueDate } : {}),
      ...(data.note !== undefined ? { note: data.note } : {}),
      updatedAt: deps.clock.now(),
    });
    if (!updated) throw invoiceChanged();
    await recordChange(deps.audit, ctx, actor, 'invoice.update', updated, {
      lines: drafts ? drafts.length : null,
    });
    return updated;
  });
}
