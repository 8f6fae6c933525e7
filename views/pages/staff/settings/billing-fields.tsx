import { describedBy, Field, FieldError, SelectField } from '../../../components/fields.tsx';

/** A labelled multi-line text field (`f-<name>`), optional, with its hint and error tied to it. */
export function TextAreaField(props: {
  name: string;
  label: string;
  value: string;
  hint?: string;
  error?: string | undefined;
  rows?: number;
}) {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 3}
        maxlength={2000}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      >
        {props.value}
      </textarea>
      {props.hint ? (
        <small id={`${id}-hint`} class="muted">
          {props.hint}
        </small>
      ) : null}
      <FieldError id={id} text={props.error} />
    </div>
  );
}

/** A tax rate's fields (add and edit): name, percentage, included in or added to prices. */
export function TaxRateFields(props: { values: Record<string, string>; errors: Record<string, string> }) {
  const v = props.values;
  const e = props.errors;
  return (
    <>
      <Field
        name="name"
        id="f-rate-name"
        label="Name"
        value={v.name}
        hint="As printed, such as “VAT”."
        error={e.name}
      />
      <Field
        name="percent"
        id="f-rate-percent"
        label="Rate (%)"
        value={v.percent}
        inputmode="decimal"
        hint="Such as 20 or 5.5."
        error={e.percent ?? e.basisPoints}
      />
      <SelectField
        name="inclusive"
        id="f-rate-inclusive"
        label="Prices"
        options={[
          { id: 'no', name: 'Tax is added to the price' },
          { id: 'yes', name: 'Tax is included in the price' },
        ]}
        selected={v.inclusive === 'yes' ? 'yes' : 'no'}
        error={e.inclusive}
      />
    </>
  );
}
