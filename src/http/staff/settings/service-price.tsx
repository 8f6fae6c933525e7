import { type Context, Hono } from 'hono';
import { ServicePricePage } from '../../../../views/pages/staff/settings/billing-items.tsx';
import { decimalOf } from '../../../domain/billing/index.ts';
import { readForm } from '../../kit/form.ts';
import { orRerender } from '../../kit/refusal.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import { errorsOf, servicePriceInputOf, servicePriceValuesOf, shownAgain } from './billing-forms.ts';
import { billingPageData } from './billing-page-data.ts';

/**
 * `/staff/settings/services/:id/price` (admins): a service's price and tax rate, its no-show and
 * late-cancellation fees, and each practitioner's own price (empty: the service's), saved at once.
 */
export function staffServicePriceRoutes(deps: HttpDeps, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  const manage = kit.authorize('settings.manage');

  /** The practitioners, those offering the service first. */
  const practitionersFor = async (serviceId: string) =>
    (await deps.practitioners.list())
      .map((p) => ({
        id: p.accountId,
        name: p.profile?.displayName ?? p.name,
        offers: p.serviceIds.includes(serviceId),
      }))
      .sort((a, b) => Number(b.offers) - Number(a.offers) || a.name.localeCompare(b.name));

  const page = async (
    c: Context<AppEnv>,
    serviceId: string,
    again?: { values: Record<string, string>; errors: Record<string, string> },
  ) => {
    const service = await deps.services.get(serviceId);
    const [data, practitioners] = await Promise.all([
      billingPageData(deps, actorOf(c)),
      practitionersFor(serviceId),
    ]);
    const rows = data.list.servicePrices.filter((r) => r.serviceId === serviceId);
    const own = rows.find((r) => r.practitionerId === '');
    const money = (minor: number | null | undefined) =>
      minor === null || minor === undefined ? '' : decimalOf(minor, data.currency);
    const values: Record<string, string> = {
      unitPrice: money(own?.unitPrice),
      taxRateId: own?.taxRateId ?? '',
      noShowFee: money(own?.noShowFee),
      lateCancelFee: money(own?.lateCancelFee),
      ...Object.fromEntries(
        rows
          .filter((r) => r.practitionerId !== '')
          .map((r) => [`override-${r.practitionerId}`, money(r.unitPrice)]),
      ),
    };
    return c.html(
      ServicePricePage({
        nav: kit.nav(c),
        serviceId,
        serviceName: service.name,
        currency: data.currency,
        taxRates: data.taxRates,
        practitioners,
        state: again ?? { values },
        notice: again ? undefined : c.req.query('notice') === 'saved' ? 'Price saved.' : undefined,
      }),
      again ? 422 : 200,
    );
  };

  app.get('/:id/price', manage, (c) => page(c, c.req.param('id')));
  app.post('/:id/price', manage, async (c) => {
    const id = c.req.param('id');
    const ids = (await practitionersFor(id)).map((p) => p.id);
    const values = servicePriceValuesOf(await readForm(c), ids);
    return orRerender(
      async () => {
        const currency = (await deps.billing.settings()).currency;
        await deps.billing.setServicePrices(actorOf(c), id, servicePriceInputOf(values, currency, ids));
        return redirect(c, `/staff/settings/services/${id}/price?notice=saved`);
      },
      (r) => page(c, id, { values, errors: errorsOf(r) }),
      shownAgain,
    );
  });
  return app;
}
