import type { DbCtx } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import { staffWhoCan } from '../accounts/index.ts';
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
  type NewInvoiceRow,
  updateInvoiceAt,
} from './billing.repo.ts';
import { type InvoiceView, invoiceViewOf } from './invoice-view.ts';

/** 409 `version_conflict`: the invoice was changed meanwhile; nothing was changed. */
export const invoiceChanged = () =>
  new AppError('version_conflict', 'This invoice was changed meanwhile: reload it.', { status: 409 });

/** What the change step of a staff invoice change is handed besides the transaction and the invoice. */
export interface InvoiceChangeUse<P> {
  deps: BillingDeps;
  actor: Actor;
  /** What `prepare` answered. */
  prepared: P;
}

/**
 * A staff change of one invoice (billing.manage), as the service calls it: `(deps, actor, id,
 * input)`. After the policy check, `prepare` checks the input and reads what the change needs
 * outside the transaction (bad input changes nothing and holds no lock); then, in one
 * transaction, the invoice `id` (404 when none) is handed to `change`, which answers the row as it
 * then stands. Answers that row's view.
 */
export function staffInvoiceChange<P>(steps: {
  prepare: (deps: BillingDeps, input: unknown, id: string) => P | Promise<P>;
  change: (ctx: DbCtx, invoice: InvoiceRow, use: InvoiceChangeUse<P>) => Promise<InvoiceRow>;
}): (deps: BillingDeps, actor: Actor, id: string, input?: unknown) => Promise<InvoiceView> {
  return async (deps, actor, id, input) => {
    await staffWhoCan(deps.db.reader, actor, 'billing.manage');
    const prepared = await steps.prepare(deps, input, id);
    const row = await deps.db.tx(async (ctx) => {
      const invoice = await findInvoiceById(ctx, id);
      if (!invoice) throw notFoundInvoice();
      return steps.change(ctx, invoice, { deps, actor, prepared });
    });
    return invoiceViewOf(deps, row);
  };
}

/**
 * Writes `changes` to `invoice` in the caller's transaction, only while it still has the version
 * and status it was read with (409 `version_conflict` otherwise), and audits `action` with
 * `details` (ids, amounts and counts only). Answers the row as it now stands.
 */
export async function saveInvoice(
  deps: Pick<BillingDeps, 'audit'>,
  ctx: DbCtx,
  actor: Actor,
  invoice: InvoiceRow,
  changes: Partial<NewInvoiceRow>,
  audit: { action: `invoice.${string}`; details: Parameters<typeof recordChange>[5] },
): Promise<InvoiceRow> {
  const updated = await updateInvoiceAt(ctx, invoice.id, invoice.version, [invoice.status], changes);
  if (!updated) throw invoiceChanged();
  await recordChange(deps.audit, ctx, actor, audit.action, updated, audit.details);
  return updated;
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
