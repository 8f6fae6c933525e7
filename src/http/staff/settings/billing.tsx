import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { FormState } from '../../../../views/pages/staff/settings/billing.tsx';
import { BillingSettingsPage } from '../../../../views/pages/staff/settings/billing.tsx';
import { ProductPage, TaxRatePage } from '../../../../views/pages/staff/settings/billing-items.tsx';
import { decimalOf, percentOf } from '../../../domain/billing/index.ts';
import { notFound } from '../../../lib/errors.ts';
import { type FormFields, readForm } from '../../kit/form.ts';
import { orRerender } from '../../kit/refusal.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import {
  errorsOf,
  productInputOf,
  productValuesOf,
  settingsInputOf,
  settingsValuesOf,
  shownAgain,
  statusOf,
  taxRateInputOf,
  taxRateValuesOf,
} from './billing-forms.ts';
import { billingPageData, settingsValues } from './billing-page-data.ts';

const LOGO_PATH = '/staff/settings/billing/logo';
/** The logo's URL part: the first 16 hex digits of its SHA-256. */
const stampOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const LOGO_FIELD = 'logo';

/** A form shown again: what was typed (else as stored), what is wrong, and the answer's status. */
type Again = { values?: Record<string, string>; errors: Record<string, string>; status: 409 | 422 };
type Forms = Partial<{
  settings: FormState<ReturnType<typeof settingsValuesOf>>;
  logo: { error: string };
  newTaxRate: FormState<Record<string, string>>;
  newProduct: FormState<Record<string, string>>;
}>;
const notices: Record<string, string> = {
  saved: 'Billing settings saved.',
  'tax-rate': 'Tax rate added.',
  product: 'Product added.',
  changed: 'Saved.',
  logo: 'Logo saved: it prints on every invoice and receipt.',
  'logo-removed': 'Logo removed.',
};

/**
 * `/staff/settings/billing` (admins, settings.manage): the billing settings, the clinic's logo
 * on invoices and receipts (upload, preview, remove), tax rates and products (add, edit,
 * archive), and an overview of the services' prices. Each form re-renders
 * with what was typed and what is wrong; nothing is written until all of it is right.
 */
export function staffBillingSettingsRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const manage = authorize('settings.manage');

  const page = async (c: Context<AppEnv>, forms: Forms = {}, status: 404 | 409 | 422 = 422) => {
    const [data, logo] = await Promise.all([billingPageData(deps, actorOf(c)), deps.billing.logo()]);
    const failed = Boolean(forms.settings ?? forms.logo ?? forms.newTaxRate ?? forms.newProduct);
    return c.html(
      BillingSettingsPage({
        nav: kit.nav(c),
        notice: failed ? undefined : notices[c.req.query('notice') ?? ''],
        currency: data.currency,
        settings: forms.settings ?? { values: settingsValues(data.list.settings) },
        taxRates: data.taxRates,
        newTaxRate: forms.newTaxRate ?? { values: { name: '', percent: '', inclusive: 'no' } },
        products: data.products,
        newProduct: forms.newProduct ?? { values: { name: '', unitPrice: '', taxRateId: '' } },
        services: data.servicePrices,
        logo: {
          current: logo
            ? {
                src: `${LOGO_PATH}/${stampOf(logo.bytes)}`,
                kind: logo.type.toUpperCase(),
                kb: Math.ceil(logo.bytes.length / 1024),
              }
            : null,
          error: forms.logo?.error,
        },
      }),
      failed ? status : 200,
    );
  };
  const currencyOf = async () => (await deps.billing.settings()).currency;

  app.get('/', manage, (c) => page(c));

  // The logo on invoices and receipts: shown (the page's preview, at a URL naming its content, so
  // a replaced logo is never shown from the cache), uploaded, removed.
  app.get('/logo/:stamp', manage, async (c) => {
    const logo = await deps.billing.logo();
    if (!logo || stampOf(logo.bytes) !== c.req.param('stamp')) throw notFound('The logo');
    c.header('Cache-Control', 'private, max-age=86400');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(new Uint8Array(logo.bytes), 200, { 'Content-Type': logo.contentType });
  });
  app.post('/logo', manage, async (c) => {
    const file = (await c.req.parseBody())[LOGO_FIELD];
    const bytes =
      typeof file === 'object' && file ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
    return orRerender(
      async () => {
        await deps.billing.setLogo(actorOf(c), bytes);
        return redirect(c, '/staff/settings/billing?notice=logo#h-logo');
      },
      (r) => page(c, { logo: { error: r.first } }, 422),
    );
  });
  app.post('/logo/remove', manage, async (c) => {
    await deps.billing.removeLogo(actorOf(c));
    return redirect(c, '/staff/settings/billing?notice=logo-removed#h-logo');
  });

  /**
   * A form of the billing page: saved, back to the page with the notice (and anchor) `done`;
   * refused, the page again with what was typed as `form`.
   */
  const pageFormRoute = <V extends Record<string, string>>(
    path: string,
    form: keyof Forms,
    valuesOf: (fields: FormFields) => V,
    save: (c: Context<AppEnv>, values: V) => Promise<unknown>,
    done: string,
  ) =>
    app.post(path, manage, async (c) => {
      const values = valuesOf(await readForm(c));
      return orRerender(
        async () => {
          await save(c, values);
          return redirect(c, `/staff/settings/billing?notice=${done}`);
        },
        (r) => page(c, { [form]: { values, errors: errorsOf(r) } }, statusOf(r)),
        shownAgain,
      );
    });
  pageFormRoute(
    '/',
    'settings',
    settingsValuesOf,
    async (c, values) => deps.billing.updateSettings(actorOf(c), settingsInputOf(values, await currencyOf())),
    'saved',
  );
  pageFormRoute(
    '/tax-rates',
    'newTaxRate',
    taxRateValuesOf,
    (c, values) => deps.billing.createTaxRate(actorOf(c), taxRateInputOf(values)),
    'tax-rate#h-tax-rates',
  );
  pageFormRoute(
    '/products',
    'newProduct',
    productValuesOf,
    async (c, values) => deps.billing.createProduct(actorOf(c), productInputOf(values, await currencyOf())),
    'product#h-products',
  );

  /** An item page's form: as stored, or as typed when refused (and then without the notice). */
  const itemForm = (c: Context<AppEnv>, stored: Record<string, string>, again?: Again) => ({
    state: { values: again?.values ?? stored, errors: again?.errors },
    notice: again ? undefined : notices[c.req.query('notice') ?? ''],
  });

  /**
   * Saving a tax rate's or a product's page: back to it with "Saved.", or, refused (422), the
   * page again with what was typed.
   */
  const saveItemRoute = <V extends Record<string, string>>(
    kind: 'tax-rates' | 'products',
    valuesOf: (form: FormFields) => V,
    save: (c: Context<AppEnv>, id: string, values: V) => Promise<unknown>,
    itemPage: (c: Context<AppEnv>, id: string, again?: Again) => Promise<Response>,
  ) =>
    app.post(`/${kind}/:id`, manage, async (c) => {
      const id = c.req.param('id');
      const values = valuesOf(await readForm(c));
      return orRerender(
        async () => {
          await save(c, id, values);
          return redirect(c, `/staff/settings/billing/${kind}/${id}?notice=changed`);
        },
        (r) => itemPage(c, id, { values, errors: errorsOf(r), status: 422 }),
        (e) => e.status === 422,
      );
    });

  // One tax rate: edit, archive, restore.
  const taxRatePage = async (c: Context<AppEnv>, id: string, again?: Again) => {
    const rate = (await deps.billing.priceList(actorOf(c))).taxRates.find((r) => r.id === id);
    if (!rate) throw notFound('That tax rate');
    const values = {
      name: rate.name,
      percent: percentOf(rate.basisPoints),
      inclusive: rate.inclusive ? 'yes' : 'no',
    };
    return c.html(
      TaxRatePage({
        nav: kit.nav(c),
        id,
        active: rate.active,
        ...itemForm(c, values, again),
      }),
      again?.status ?? 200,
    );
  };
  app.get('/tax-rates/:id', manage, (c) => taxRatePage(c, c.req.param('id')));
  saveItemRoute(
    'tax-rates',
    taxRateValuesOf,
    (c, id, values) => deps.billing.changeTaxRate(actorOf(c), id, taxRateInputOf(values)),
    taxRatePage,
  );

  // One product: edit, archive, restore.
  const productPage = async (c: Context<AppEnv>, id: string, again?: Again) => {
    const data = await billingPageData(deps, actorOf(c));
    const product = data.list.products.find((p) => p.id === id);
    if (!product) throw notFound('That product');
    const values = {
      name: product.name,
      unitPrice: decimalOf(product.unitPrice, data.currency),
      taxRateId: product.taxRateId ?? '',
    };
    return c.html(
      ProductPage({
        nav: kit.nav(c),
        id,
        active: product.active,
        currency: data.currency,
        taxRates: data.taxRates,
        ...itemForm(c, values, again),
      }),
      again?.status ?? 200,
    );
  };
  app.get('/products/:id', manage, (c) => productPage(c, c.req.param('id')));
  saveItemRoute(
    'products',
    productValuesOf,
    async (c, id, values) =>
      deps.billing.changeProduct(actorOf(c), id, productInputOf(values, await currencyOf())),
    productPage,
  );

  for (const kind of ['tax-rates', 'products'] as const)
    for (const [verb, active] of [
      ['archive', false],
      ['restore', true],
    ] as const)
      app.post(`/${kind}/:id/${verb}`, manage, async (c) => {
        const id = c.req.param('id');
        const change = kind === 'tax-rates' ? deps.billing.changeTaxRate : deps.billing.changeProduct;
        return orRerender(
          async () => {
            await change(actorOf(c), id, { active });
            return redirect(c, `/staff/settings/billing/${kind}/${id}?notice=changed`);
          },
          (r) =>
            (kind === 'tax-rates' ? taxRatePage : productPage)(c, id, { errors: errorsOf(r), status: 409 }),
          (e) => e.status === 409,
        );
      });
  return app;
}
