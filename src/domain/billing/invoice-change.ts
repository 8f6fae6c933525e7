import type { DbCtx } from '../../db/client.ts';
import type { Actor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import type { BillingDeps } from './billing.deps.ts';
import { notFoundInvoice } from './billing.policy.ts';
import {
  findInvoiceById,
  type InvoiceRow,
  insertInvoice,
  insertLines,
  type LineRow,
} from './billing.repo.ts';
import { type InvoiceView, invoiceViewOf } from './invoice-view.ts';

/**
 * A staff change of one invoice, after the caller's checks (policy, input): in one transaction,
 * the invoice `id` (404 when none) handed to `change`, which answers the row as it then stands;
 * answers that row's view.
 */
export async function changeInvoice(
  deps: BillingDeps,
  id: string,
  change: (ctx: DbCtx, invoice: InvoiceRow) => Promise<InvoiceRow>,
): Promise<InvoiceView> {
  const row = await deps.db.tx(async (ctx) => {
    const invoice = await findInvoiceById(ctx, id);
    if (!invoice) throw notFoundInvoice();
    return change(ctx, invoice);
  });
  return invoiceViewOf(deps, row);
}

/** A new draft's row as `insertDraft` takes it: all but what every new draft starts with. */
export type DraftRow = Omit<
  Parameters<typeof insertInvoice>[1],
  'number' | 'status' | 'paid' | 'version' | 'createdBy' | 'createdAt' | 'updatedAt' | 'issuedAt' | 'voidedAt'
>;

/**
 * Inserts a draft (invoice or credit note) and its lines in the caller's transaction: unnumbered
 * and unpaid until issued, version 1, made by `actor` at `now`; audited `invoice.create` with `details`
 * (ids and counts only).
 */
export async function insertDraft(
  deps: Pick<BillingDeps, 'audit'>,
  ctx: DbCtx,
  actor: Actor,
  now: Date,
  draft: DraftRow,
  lines: LineRow[],
  details: Parameters<typeof recordChange>[5],
): Promise<InvoiceRow> {
  const row = await insertInvoice(ctx, {
    ...draft,
    number: null,
    status: 'draft',
    paid: 0,
    version: 1,
    createdBy: actor.type === 'staff' ? actor.id : null,
    createdAt: now,
    updatedAt: now,
    issuedAt: null,
    voidedAt: null,
  });
  await insertLines(ctx, lines);
  await recordChange(deps.audit, ctx, actor, 'invoice.create', row, details);
  return row;
}
