import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { BillingDeps } from './billing.deps.ts';

import { listAllServicePrices, listProducts, listTaxRates } from './billing.repo.ts';
import { readSettings } from './catalogue.ts';

/**
 * The whole price list for staff who bill (billing.read): the settings, every tax rate and
 * product (archived ones too, marked), and every service's price rows. No patient's data.
 */
export async function readPriceList(deps: BillingDeps, actor: Actor) {
  await staffWhoCan(deps.db.reader, actor, 'billing.read');
  const ctx = deps.db.reader;
  const [settings, taxRates, products, servicePrices] = await Promise.all([
    readSettings(deps),
    listTaxRates(ctx),
    listProducts(ctx),
    listAllServicePrices(ctx),
  ]);
  return { settings, taxRates, products, servicePrices };
}
export type PriceList = Awaited<ReturnType<typeof readPriceList>>;
