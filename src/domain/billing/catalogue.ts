import type { DbCtx } from '../../db/client.ts';
import { notFound, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { BillingDeps } from './billing.deps.ts';

import {
  findBillingSettingsValue,
  findTaxRate,
  insertProduct,
  insertTaxRate,
  listProducts,
  listServicePrices,
  listTaxRates,
  type ProductRow,
  type TaxRateRow,
  upsertBillingSettings,
  upsertServicePrice,
} from './billing.repo.ts';
import {
  type BillingSettings,
  billingSettingsInput,
  defaultBillingSettings,
  productInput,
  servicePriceInput,
  taxRateInput,
} from './billing.schema.ts';
import { assertCurrencyMayChange } from './currency-lock.ts';
import { servicePriceChange } from './set-service-prices.ts';

/**
 * What invoices are made from: the billing settings (currency, due days, what completing an
 * appointment does, the legal details and footer), tax rates, services' prices (with
 * practitioners' overrides and the no-show and late-cancellation fees) and products. Read by
 * staff with billing.read; changed by admins (settings.manage); every change audited.
 */

/** The billing settings (defaults filled in). Pass `ctx` inside a transaction. */
export async function readSettings(deps: Pick<BillingDeps, 'db'>, ctx?: DbCtx): Promise<BillingSettings> {
  const value = await findBillingSettingsValue(ctx ?? deps.db.reader, 'billing');
  const parsed = billingSettingsInput.safeParse({ ...defaultBillingSettings, ...(value as object) });
  return parsed.success ? parsed.data : defaultBillingSettings;
}

export async function updateSettings(
  deps: BillingDeps,
  actor: Actor,
  input: unknown,
): Promise<BillingSettings> {
  await staffWhoCan(deps.db.reader, actor, 'settings.manage');
  const data = validated(billingSettingsInput, { ...(await readSettings(deps)), ...(input as object) });
  return deps.db.tx(async (ctx) => {
    if (data.defaultTaxRateId && !(await findTaxRate(ctx, data.defaultTaxRateId)))
      throw notFound('That tax rate');
    await assertCurrencyMayChange(ctx, await readSettings(deps, ctx), data);
    await upsertBillingSettings(ctx, 'billing', data, deps.clock.now());
    await deps.audit.record(ctx, actor, {
      action: 'billing.update-settings',
      entity: 'settings',
      entityId: 'billing',
    });
    return data;
  });
}

export async function createTaxRate(deps: BillingDeps, actor: Actor, input: unknown): Promise<TaxRateRow> {
  await staffWhoCan(deps.db.reader, actor, 'settings.manage');
  const data = validated(taxRateInput, input);
  return deps.db.tx(async (ctx) => {
    const row = await insertTaxRate(ctx, { id: newId(), ...data, active: true, createdAt: deps.clock.now() });
    await deps.audit.record(ctx, actor, {
      action: 'billing.create-tax-rate',
      entity: 'tax_rate',
      entityId: row.id,
    });
    return row;
  });
}

/** Sets a service's price (`practitionerId` null) or a practitioner's override of it. */
export const setServicePrice = servicePriceChange({
  schema: servicePriceInput,
  action: 'billing.set-price',
  async write(ctx, data, { serviceId, updatedAt }) {
    await upsertServicePrice(ctx, {
      serviceId,
      practitionerId: data.practitionerId ?? '',
      unitPrice: data.unitPrice,
      taxRateId: data.taxRateId,
      noShowFee: data.practitionerId ? null : data.noShowFee,
      lateCancelFee: data.practitionerId ? null : data.lateCancelFee,
      updatedAt,
    });
    return { practitioner: data.practitionerId ?? null };
  },
});

export async function createProduct(deps: BillingDeps, actor: Actor, input: unknown): Promise<ProductRow> {
  await staffWhoCan(deps.db.reader, actor, 'settings.manage');
  const data = validated(productInput, input);
  return deps.db.tx(async (ctx) => {
    if (data.taxRateId && !(await findTaxRate(ctx, data.taxRateId))) throw notFound('That tax rate');
    const now = deps.clock.now();
    const row = await insertProduct(ctx, {
      id: newId(),
      ...data,
      active: true,
      createdAt: now,
      updatedAt: now,
    });
    await deps.audit.record(ctx, actor, {
      action: 'billing.create-product',
      entity: 'product',
      entityId: row.id,
    });
    return row;
  });
}

/** Tax rates, products and a service's prices, for staff who bill (billing.read). */
export async function readCatalogue(deps: BillingDeps, actor: Actor, serviceId?: string) {
  await staffWhoCan(deps.db.reader, actor, 'billing.read');
  const ctx = deps.db.reader;
  const [taxRates, products, prices] = await Promise.all([
    listTaxRates(ctx),
    listProducts(ctx),
    serviceId ? listServicePrices(ctx, serviceId) : Promise.resolve([]),
  ]);
  return { taxRates, products, prices };
}
