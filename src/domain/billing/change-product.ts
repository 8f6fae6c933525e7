import { notFound } from '../../lib/errors.ts';
import { findProduct, findTaxRate, updateProductRow } from './billing.repo.ts';
import { productChange } from './billing.schema.ts';
import { catalogueChange } from './catalogue-change.ts';

/**
 * Changes a product (admins, settings.manage): name, price, tax rate, or archives it (`active:
 * false`: no longer offered on new lines; invoices keep their lines) or brings it back.
 */
export const changeProduct = catalogueChange('product', {
  schema: productChange,
  find: findProduct,
  async check(_deps, ctx, _id, data) {
    if (data.taxRateId && !(await findTaxRate(ctx, data.taxRateId))) throw notFound('That tax rate');
  },
  write: (deps, ctx, id, data) => updateProductRow(ctx, id, { ...data, updatedAt: deps.clock.now() }),
});
