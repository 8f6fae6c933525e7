import type { Child } from 'hono/jsx';
import { bindForm, choices, Field, SelectField, TextAreaField } from '../../../components/fields.tsx';
import { Csrf, errorSummary, Form } from '../../../components/form.tsx';
import { Notice } from '../../../components/notice.tsx';
import { Section } from '../../../components/section.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';
import { TaxRateFields } from './billing-fields.tsx';

/**
 * Settings › Billing (admins): what invoices say and cost — the currency, days until due, what
 * completing an appointment does, the clinic's legal details and logo; tax rates, products and an
 * overview of the services' prices (each set on its service's price page). Amounts are shown
 * and typed as decimals of the clinic currency ("45.50").
 */

/** The settings form as shown: every field text, as stored or as typed. */
export interface BillingSettingsValues {
  currency: string;
  dueDays: string;
  onCompletion: string;
  defaultTaxRateId: string;
  legalName: string;
  legalAddress: string;
  taxNumber: string;
  bankDetails: string;
  legalDetails: string;
  footer: string;
}

/** A tax rate's row: its percentage written out ("20 %"). */
export interface TaxRateItem {
  id: string;
  name: string;
  percent: string;
  inclusive: boolean;
  active: boolean;
}

export interface ProductItem {
  id: string;
  name: string;
  price: string;
  taxName: string;
  active: boolean;
}

export interface ServicePriceItem {
  id: string;
  name: string;
  /** Written in the currency ("£45.00"), or '' when none is set. */
  price: string;
  overrides: number;
  noShowFee: string;
  lateCancelFee: string;
}

/** A form's typed values and its errors by field (each shown under its field). */
export interface FormState<V> {
  values: V;
  errors?: Record<string, string> | undefined;
}

export interface BillingPageProps {
  nav: StaffNavProps;
  notice?: string | undefined;
  currency: string;
  settings: FormState<BillingSettingsValues>;
  taxRates: TaxRateItem[];
  newTaxRate: FormState<Record<string, string>>;
  products: ProductItem[];
  newProduct: FormState<Record<string, string>>;
  services: ServicePriceItem[];
  logo: LogoState;
}

/** The clinic's logo as the page shows it: the current one (its URL, kind, size), and an upload's error. */
export interface LogoState {
  current: { src: string; kind: string; kb: number } | null;
  error?: string | undefined;
}

/** Tax rates as choices: the active ones, and the one chosen now even if archived. */
export const taxChoices = (rates: readonly TaxRateItem[], chosen = '') =>
  rates
    .filter((r) => r.active || r.id === chosen)
    .map((r) => ({ id: r.id, name: `${r.name} (${r.percent} %${r.inclusive ? ', included' : ''})` }));

function SettingsForm(props: {
  csrf: string;
  state: FormState<BillingSettingsValues>;
  taxRates: TaxRateItem[];
}) {
  const v = props.state.values;
  const e = props.state.errors ?? {};
  const at = bindForm(v, e);
  return (
    <Form action="/staff/settings/billing" csrf={props.csrf} error={errorSummary(e)} label="Billing settings">
      <Field
        {...at('currency')}
        label="Currency"
        maxlength={3}
        autocomplete="off"
        hint="ISO 4217 code, such as EUR, GBP or CHF. It cannot change once an invoice has been issued."
      />
      <Field {...at('dueDays')} label="Payment terms (days until due)" inputmode="numeric" />
      <SelectField
        name="onCompletion"
        label="When an appointment is completed"
        options={choices({
          button: 'Offer a button to make its invoice',
          draft: 'Make its draft invoice automatically',
        })}
        selected={v.onCompletion}
        error={e.onCompletion}
      />
      <SelectField
        name="defaultTaxRateId"
        label="Default tax rate"
        options={taxChoices(props.taxRates, v.defaultTaxRateId)}
        selected={v.defaultTaxRateId}
        blank="None (no tax unless the price has one)"
        error={e.defaultTaxRateId}
      />
      <fieldset class="billing-group">
        <legend>Printed on every invoice</legend>
        <Field {...at('legalName')} label="Legal name" required={false} />
        <TextAreaField {...at('legalAddress')} label="Address" />
        <Field
          {...at('taxNumber')}
          label="Tax or VAT number"
          required={false}
          hint="As printed, such as “VAT GB 123 4567 89”."
        />
        <TextAreaField
          {...at('bankDetails')}
          label="Bank details"
          hint="For payment by transfer: IBAN and BIC, or sort code and account."
        />
        <TextAreaField
          {...at('legalDetails')}
          label="Other legal mentions"
          hint="Company registration, professional body, a tax exemption…"
        />
        <TextAreaField {...at('footer')} label="Invoice footer" />
      </fieldset>
      <button type="submit">Save billing settings</button>
    </Form>
  );
}

/**
 * The logo printed at the top right of invoices and receipts: a preview of the current one with a
 * button removing it, and a file upload (PNG or JPEG, at most 512 KB) replacing it.
 */
function LogoSection(props: { csrf: string; state: LogoState }) {
  const { current, error } = props.state;
  return (
    <Section id="h-logo" title="Logo on invoices and receipts">
      {current ? (
        <div class="billing-logo">
          <img src={current.src} alt="The clinic’s logo, as invoices print it" class="billing-logo-preview" />
          <p class="muted">
            {current.kind}, {current.kb} KB.
          </p>
          <form method="post" action="/staff/settings/billing/logo/remove" aria-label="Remove the logo">
            <Csrf token={props.csrf} />
            <button type="submit" class="secondary">
              Remove logo
            </button>
          </form>
        </div>
      ) : (
        <p class="muted">No logo: invoices print the clinic’s name alone.</p>
      )}
      <form
        method="post"
        action="/staff/settings/billing/logo"
        enctype="multipart/form-data"
        class="stack billing-logo-upload"
        aria-label="Upload a logo"
      >
        <Csrf token={props.csrf} />
        {error ? (
          <p class="error" role="alert">
            The logo was not changed.
          </p>
        ) : null}
        <Field
          type="file"
          name="logo"
          label={current ? 'Replace the logo' : 'Logo'}
          accept="image/png,image/jpeg"
          hint="A PNG or JPEG image of at most 512 KB, printed at most 140 × 60 points with its shape kept."
          error={error}
        />
        <button type="submit">Upload logo</button>
      </form>
    </Section>
  );
}

const taxColumns: Column<TaxRateItem>[] = [
  { head: 'Tax rate', cell: (r) => <a href={`/staff/settings/billing/tax-rates/${r.id}`}>{r.name}</a> },
  { head: 'Rate', cell: (r) => `${r.percent} %` },
  { head: 'Applied', cell: (r) => (r.inclusive ? 'included in prices' : 'added to prices') },
  { head: 'Status', cell: (r) => (r.active ? 'active' : 'archived') },
];

const productColumns: Column<ProductItem>[] = [
  { head: 'Product', cell: (p) => <a href={`/staff/settings/billing/products/${p.id}`}>{p.name}</a> },
  { head: 'Price', cell: (p) => p.price, class: () => 'num' },
  { head: 'Tax', cell: (p) => p.taxName || 'none' },
  { head: 'Status', cell: (p) => (p.active ? 'active' : 'archived') },
];

const serviceColumns: Column<ServicePriceItem>[] = [
  { head: 'Service', cell: (s) => <a href={`/staff/settings/services/${s.id}/price`}>{s.name}</a> },
  { head: 'Price', cell: (s) => s.price || <span class="muted">not set</span>, class: () => 'num' },
  { head: 'Practitioners’ prices', cell: (s) => (s.overrides ? String(s.overrides) : '—') },
  { head: 'No-show fee', cell: (s) => s.noShowFee || '—', class: () => 'num' },
  { head: 'Late cancellation fee', cell: (s) => s.lateCancelFee || '—', class: () => 'num' },
];

/**
 * A price typed in the currency and its tax rate (the default one unless chosen), for a product
 * or a service; `ids` when the page holds other fields of those names.
 */
export function PriceFields(props: {
  currency: string;
  state: FormState<Record<string, string>>;
  taxRates: TaxRateItem[];
  ids?: { price: string; tax: string };
}) {
  const v = props.state.values;
  const e = props.state.errors ?? {};
  return (
    <>
      <Field
        {...bindForm(v, e)('unitPrice')}
        id={props.ids?.price}
        label={`Price (${props.currency})`}
        inputmode="decimal"
      />
      <SelectField
        name="taxRateId"
        id={props.ids?.tax}
        label="Tax rate"
        options={taxChoices(props.taxRates, v.taxRateId)}
        selected={v.taxRateId ?? ''}
        blank="The default tax rate"
        error={e.taxRateId}
      />
    </>
  );
}

/** A product's fields (add and edit): name, price in the currency, tax rate. */
export function ProductFields(props: {
  currency: string;
  state: FormState<Record<string, string>>;
  taxRates: TaxRateItem[];
}) {
  const at = bindForm(props.state.values, props.state.errors);
  return (
    <>
      <Field {...at('name')} id="f-product-name" label="Name" />
      <PriceFields {...props} ids={{ price: 'f-product-price', tax: 'f-product-tax' }} />
    </>
  );
}

/** A list of the catalogue (tax rates, products): its section, columns, and what adding one says. */
interface Catalogue<R> {
  id: string;
  title: string;
  columns: Column<R>[];
  empty: string;
  /** One of it ("tax rate"), and its path under `/staff/settings/billing/`. */
  one: string;
  path: string;
}

const taxRatesCatalogue: Catalogue<TaxRateItem> = {
  id: 'h-tax-rates',
  title: 'Tax rates',
  columns: taxColumns,
  empty: 'No tax rate yet: prices carry no tax.',
  one: 'tax rate',
  path: 'tax-rates',
};

const productsCatalogue: Catalogue<ProductItem> = {
  id: 'h-products',
  title: 'Products',
  columns: productColumns,
  empty: 'No product yet.',
  one: 'product',
  path: 'products',
};

/** A catalogue's list, then the form adding one, with its fields as `children`. */
function CatalogueSection<R>(props: {
  of: Catalogue<R>;
  rows: R[];
  csrf: string;
  state: FormState<Record<string, string>>;
  children: Child;
}) {
  const { of } = props;
  return (
    <Section id={of.id} title={of.title}>
      <DataTable
        rows={props.rows}
        columns={of.columns}
        class="billing-table"
        caption={of.title}
        empty={<p class="muted">{of.empty}</p>}
      />
      <h3>Add a {of.one}</h3>
      <Form
        action={`/staff/settings/billing/${of.path}`}
        csrf={props.csrf}
        error={errorSummary(props.state.errors)}
        label={`Add a ${of.one}`}
      >
        {props.children}
        <button type="submit">Add {of.one}</button>
      </Form>
    </Section>
  );
}

export function BillingSettingsPage(props: BillingPageProps) {
  const csrf = props.nav.csrf;
  return (
    <StaffLayout title="Billing" nav={props.nav}>
      <p>
        <a href="/staff/settings">Clinic settings</a>
      </p>
      <Notice text={props.notice} />
      <Section id="h-invoices" title="Invoices">
        <SettingsForm csrf={csrf} state={props.settings} taxRates={props.taxRates} />
      </Section>
      <LogoSection csrf={csrf} state={props.logo} />
      <CatalogueSection of={taxRatesCatalogue} rows={props.taxRates} csrf={csrf} state={props.newTaxRate}>
        <TaxRateFields state={props.newTaxRate} />
      </CatalogueSection>
      <Section id="h-service-prices" title="Service prices and fees">
        <p class="muted">
          Each service’s price, its practitioners’ own prices and its fees are set on its price page.
        </p>
        <section class="table-scroll" aria-label="Service prices" tabindex={0}>
          <DataTable
            rows={props.services}
            columns={serviceColumns}
            caption="Service prices"
            class="billing-table"
          />
        </section>
      </Section>
      <CatalogueSection of={productsCatalogue} rows={props.products} csrf={csrf} state={props.newProduct}>
        <ProductFields currency={props.currency} state={props.newProduct} taxRates={props.taxRates} />
      </CatalogueSection>
    </StaffLayout>
  );
}
