import { conflict, notFound, validated } from '../../lib/errors.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { BillingDeps } from './billing.deps.ts';

import { findTaxRate, type TaxRateRow, updateTaxRateRow } from './billing.repo.ts';
import { taxRateChange } from './billing.schema.ts';
import { readSettings } from './catalogue.ts';

/**
 * Changes a tax rate (admins, settings.manage): its name, percentage, inclusive or exclusive, or
 * archives it (`active: false`) or brings it back. Lines already on invoices keep the name and
 * percentage they were priced with (copied onto each line), so an issued invoice never moves;
 * drafts take the new percentage when next changed. The clinic's default rate cannot be archived.
 */
export async function changeTaxRate(
  deps: BillingDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<TaxRateRow> {
  await staffWhoCan(deps.db.reader, actor, 'settings.manage');
  const data = validated(taxRateChange, input);
  return deps.db.tx(async (ctx) => {
    if (!(await findTaxRate(ctx, id))) throw notFound('That tax rate');
    if (data.active === false && (await readSettings(deps, ctx)).defaultTaxRateId === id)
      throw conflict(
        'This is the default tax rate: choose another default (or none) before archiving it.',
        'tax_rate_is_default',
      );
    const row = Object.keys(data).length ? await updateTaxRateRow(ctx, id, data) : await findTaxRate(ctx, id);
    await deps.audit.record(ctx, actor, {
      action: data.active === false ? 'billing.archive-tax-rate' : 'billing.change-tax-rate',
      entity: 'tax_rate',
      entityId: id,
      details: { fields: Object.keys(data).join(',') },
    });
    return row!;
  });
}
