import { validated } from '../../lib/errors.ts';
import { notFoundInvoice } from './billing.policy.ts';
import { deleteLinesOf, findInvoiceById, insertLines } from './billing.repo.ts';
import { updateInvoiceInput } from './billing.schema.ts';
import { readSettings } from './catalogue.ts';
import { invoiceChanged, saveInvoice, staffInvoiceChange } from './invoice-change.ts';
import { totalsOf } from './money.ts';
import { payerColumns } from './payer.ts';
import { draftsOfInput, invoiceIssued, pricedLines } from './price-lines.ts';

/**
 * Changes a draft: its lines (all replaced, priced again), payer, due date or note. Anything but a
 * draft is 409 `invoice_issued` (void too: it never changes either). With `version`, a stale one
 * is 409 `version_conflict`. Bad input changes nothing (checked before the transaction, and the
 * transaction rolls back on any later refusal).
 */
export const updateInvoice = staffInvoiceChange({
  async prepare(deps, input, id) {
    const data = validated(updateInvoiceInput, input);
    const settings = await readSettings(deps);
    const before = await findInvoiceById(deps.db.reader, id);
    if (!before) throw notFoundInvoice();
    if (before.status !== 'draft') throw invoiceIssued();
    const drafts = data.lines
      ? await draftsOfInput(deps, deps.db.reader, settings, data.lines, before.practitionerId)
      : null;
    return { data, drafts };
  },
  async change(ctx, current, { deps, actor, prepared: { data, drafts } }) {
    if (current.status !== 'draft') throw invoiceIssued();
    if (data.version !== undefined && data.version !== current.version) throw invoiceChanged();
    let totals = {};
    if (drafts) {
      const lines = await pricedLines(ctx, current.id, drafts);
      await deleteLinesOf(ctx, current.id);
      await insertLines(ctx, lines);
      const t = totalsOf(lines);
      totals = { subtotal: t.subtotal, taxTotal: t.taxTotal, total: t.total };
    }
    const changes = {
      ...totals,
      ...(data.payer ? await payerColumns(ctx, deps.clock.now(), current.patientId, data.payer) : {}),
      ...(data.dueDate !== undefined ? { dueDate: data.dueDate } : {}),
      ...(data.note !== undefined ? { note: data.note } : {}),
      updatedAt: deps.clock.now(),
    };
    return saveInvoice(deps, ctx, actor, current, changes, {
      action: 'invoice.update',
      details: { lines: drafts ? drafts.length : null },
    });
  },
});
