import { bindForm, Field } from '../../../components/fields.tsx';
import { errorSummary, Form, PostButton } from '../../../components/form.tsx';
import { Notice } from '../../../components/notice.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';
import { type FormState, PriceFields, ProductFields, type TaxRateItem } from './billing.tsx';
import { TaxRateFields } from './billing-fields.tsx';

/** The pages of one tax rate, one product, and one service's prices (Settings › Billing). */

const Back = () => (
  <p>
    <a href="/staff/settings/billing">Billing settings</a>
  </p>
);

/** Archive (kept where used, no longer offered) or offer again. */
const ActiveButton = (props: { action: string; csrf: string; active: boolean }) => (
  <PostButton
    action={`${props.action}/${props.active ? 'archive' : 'restore'}`}
    csrf={props.csrf}
    label={props.active ? 'Archive (stop offering it)' : 'Offer it again'}
    kind="secondary"
    inline={false}
  />
);

export function TaxRatePage(props: {
  nav: StaffNavProps;
  id: string;
  active: boolean;
  state: FormState<Record<string, string>>;
  notice?: string | undefined;
}) {
  const action = `/staff/settings/billing/tax-rates/${props.id}`;
  return (
    <StaffLayout title={`Tax rate: ${props.state.values.name}`} nav={props.nav}>
      <Back />
      <Notice text={props.notice} />
      {props.active ? null : <p class="muted">Archived: invoices keep it, new prices cannot use it.</p>}
      <Form action={action} csrf={props.nav.csrf} error={errorSummary(props.state.errors)} label="Tax rate">
        <TaxRateFields state={props.state} />
        <p class="muted">Issued invoices keep the rate they were issued with; drafts take the new one.</p>
        <button type="submit">Save tax rate</button>
      </Form>
      <ActiveButton action={action} csrf={props.nav.csrf} active={props.active} />
    </StaffLayout>
  );
}

export function ProductPage(props: {
  nav: StaffNavProps;
  id: string;
  active: boolean;
  currency: string;
  taxRates: TaxRateItem[];
  state: FormState<Record<string, string>>;
  notice?: string | undefined;
}) {
  const action = `/staff/settings/billing/products/${props.id}`;
  return (
    <StaffLayout title={`Product: ${props.state.values.name}`} nav={props.nav}>
      <Back />
      <Notice text={props.notice} />
      {props.active ? null : <p class="muted">Archived: no longer offered on new invoices.</p>}
      <Form action={action} csrf={props.nav.csrf} error={errorSummary(props.state.errors)} label="Product">
        <ProductFields currency={props.currency} state={props.state} taxRates={props.taxRates} />
        <button type="submit">Save product</button>
      </Form>
      <ActiveButton action={action} csrf={props.nav.csrf} active={props.active} />
    </StaffLayout>
  );
}

/** A practitioner who may get their own price for the service. */
export interface PractitionerChoice {
  id: string;
  name: string;
  /** Whether they offer the service (listed first). */
  offers: boolean;
}

export function ServicePricePage(props: {
  nav: StaffNavProps;
  serviceId: string;
  serviceName: string;
  currency: string;
  taxRates: TaxRateItem[];
  practitioners: PractitionerChoice[];
  state: FormState<Record<string, string>>;
  notice?: string | undefined;
}) {
  const v = props.state.values;
  const e = props.state.errors ?? {};
  const c = props.currency;
  const at = bindForm(v, e);
  return (
    <StaffLayout title={`Price: ${props.serviceName}`} nav={props.nav}>
      <p>
        <a href={`/staff/settings/services/${props.serviceId}`}>Service</a> ·{' '}
        <a href="/staff/settings/billing">Billing settings</a>
      </p>
      <Notice text={props.notice} />
      <Form
        action={`/staff/settings/services/${props.serviceId}/price`}
        csrf={props.nav.csrf}
        error={errorSummary(e)}
        label="Price and fees"
      >
        <PriceFields currency={c} state={props.state} taxRates={props.taxRates} />
        <Field
          {...at('noShowFee')}
          label={`No-show fee (${c})`}
          inputmode="decimal"
          required={false}
          hint="Empty: none. Proposed as a draft invoice when the patient does not come."
        />
        <Field
          {...at('lateCancelFee')}
          label={`Late cancellation fee (${c})`}
          inputmode="decimal"
          required={false}
          hint="Empty: none. Proposed when the patient cancels inside the cancellation window."
        />
        {props.practitioners.length ? (
          <fieldset class="billing-group">
            <legend>Practitioners’ own prices</legend>
            <p class="muted">Empty: the service’s price.</p>
            {props.practitioners.map((p) => (
              <Field
                {...at(`override-${p.id}`)}
                id={`f-override-${p.id}`}
                label={`${p.name} (${c})${p.offers ? '' : ' — does not offer it now'}`}
                value={v[`override-${p.id}`] ?? ''}
                inputmode="decimal"
                required={false}
              />
            ))}
          </fieldset>
        ) : null}
        <button type="submit">Save price</button>
      </Form>
    </StaffLayout>
  );
}
