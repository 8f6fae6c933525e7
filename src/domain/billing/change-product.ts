import { notFound, validated } from '../../lib/errors.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { BillingDeps } from './billing.deps.ts';

import { findProduct, findTaxRate, type ProductRow, updateProductRow } from './billing.repo.ts';
import { productChange } from './billing.schema.ts';

/**
 * Changes a product (admins, settings.manage): name, price, tax rate, or archives it (`active:
 * false`: no longer offered on new lines; invoices keep their lines) or brings it back.
 */
export async function changeProduct(
  deps: BillingDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<ProductRow> {
  await staffWhoCan(deps.db.reader, actor, 'settings.manage');
  const data = validated(productChange, input);
  return deps.db.tx(async (ctx) => {
    if (!(await findProduct(ctx, id))) throw notFound('That product');
    if (data.taxRateId && !(await findTaxRate(ctx, data.taxRateId))) throw notFound('That tax rate');
    const row = await updateProductRow(ctx, id, { ...data, updatedAt: deps.clock.now() });
    await deps.audit.record(ctx, actor, {
      action: data.active === false ? 'billing.archive-product' : 'billing.change-product',
      entity: 'product',
      entityId: id,
      details: { fields: Object.keys(data).join(',') },
    });
    return row!;
  });
}
