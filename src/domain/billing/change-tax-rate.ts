import { conflict } from '../../lib/errors.ts';
import { findTaxRate, updateTaxRateRow } from './billing.repo.ts';
import { taxRateChange } from './billing.schema.ts';
import { readSettings } from './catalogue.ts';
import { catalogueChange } from './catalogue-change.ts';

/**
 * Changes a tax rate (admins, settings.manage): its name, percentage, inclusive or exclusive, or
 * archives it (`active: false`) or brings it back. Lines already on invoices keep the name and
 * percentage they were priced with (copied onto each line), so an issued invoice never moves;
 * drafts take the new percentage when next changed. The clinic's default rate cannot be archived.
 */
export const changeTaxRate = catalogueChange('tax_rate', {
  schema: taxRateChange,
  find: findTaxRate,
  async check(deps, ctx, id, data) {
    if (data.active === false && (await readSettings(deps, ctx)).defaultTaxRateId === id)
      throw conflict(
        'This is the default tax rate: choose another default (or none) before archiving it.',
        'tax_rate_is_default',
      );
  },
  write: (_deps, ctx, id, data) =>
    Object.keys(data).length ? updateTaxRateRow(ctx, id, data) : findTaxRate(ctx, id),
});
