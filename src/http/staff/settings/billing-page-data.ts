import type {
  BillingSettingsValues,
  ProductItem,
  ServicePriceItem,
  TaxRateItem,
} from '../../../../views/pages/staff/settings/billing.tsx';
import type { Actor } from '../../../domain/audit/index.ts';
import { formatMoney, type PriceList, percentOf, type TaxRateRow } from '../../../domain/billing/index.ts';
import type { HttpDeps } from '../../types.ts';

/** The billing pages' data, as the views show it (amounts written in the clinic currency). */

export const taxRateItem = (r: TaxRateRow): TaxRateItem => ({
  id: r.id,
  name: r.name,
  percent: percentOf(r.basisPoints),
  inclusive: r.inclusive,
  active: r.active,
});

export const settingsValues = (s: PriceList['settings']): BillingSettingsValues => ({
  currency: s.currency,
  dueDays: String(s.dueDays),
  onCompletion: s.onCompletion,
  defaultTaxRateId: s.defaultTaxRateId ?? '',
  legalName: s.legalName,
  legalAddress: s.legalAddress,
  taxNumber: s.taxNumber,
  bankDetails: s.bankDetails,
  legalDetails: s.legalDetails,
  footer: s.footer,
});

/** The price list and the services, read for the Billing page. */
export async function billingPageData(deps: HttpDeps, actor: Actor) {
  const [list, services] = await Promise.all([deps.billing.priceList(actor), deps.services.list()]);
  const currency = list.settings.currency;
  const money = (minor: number | null | undefined) =>
    minor === null || minor === undefined ? '' : formatMoney(minor, currency, 'en');
  const taxName = new Map(list.taxRates.map((r) => [r.id, `${r.name} ${percentOf(r.basisPoints)} %`]));
  const products: ProductItem[] = list.products.map((p) => ({
    id: p.id,
    name: p.name,
    price: money(p.unitPrice),
    taxName: p.taxRateId ? (taxName.get(p.taxRateId) ?? '') : '',
    active: p.active,
  }));
  const servicePrices: ServicePriceItem[] = services
    .filter((s) => s.active)
    .map((s) => {
      const rows = list.servicePrices.filter((r) => r.serviceId === s.id);
      const own = rows.find((r) => r.practitionerId === '');
      return {
        id: s.id,
        name: s.name,
        price: money(own?.unitPrice),
        overrides: rows.length - (own ? 1 : 0),
        noShowFee: money(own?.noShowFee),
        lateCancelFee: money(own?.lateCancelFee),
      };
    });
  return { list, currency, taxRates: list.taxRates.map(taxRateItem), products, servicePrices };
}
