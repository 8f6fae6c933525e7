import { bindForm, choices, Field, SelectField } from '../../../components/fields.tsx';
import type { FormState } from './billing.tsx';

/** A tax rate's fields (add and edit): name, percentage, included in or added to prices. */
export function TaxRateFields(props: { state: FormState<Record<string, string>> }) {
  const v = props.state.values;
  const e = props.state.errors ?? {};
  const at = bindForm(v, e);
  return (
    <>
      <Field {...at('name')} id="f-rate-name" label="Name" hint="As printed, such as “VAT”." />
      <Field
        {...at('percent')}
        id="f-rate-percent"
        label="Rate (%)"
        inputmode="decimal"
        hint="Such as 20 or 5.5."
        error={e.percent ?? e.basisPoints}
      />
      <SelectField
        name="inclusive"
        id="f-rate-inclusive"
        label="Prices"
        options={choices({ no: 'Tax is added to the price', yes: 'Tax is included in the price' })}
        selected={v.inclusive === 'yes' ? 'yes' : 'no'}
        error={e.inclusive}
      />
    </>
  );
}
