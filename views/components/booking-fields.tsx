import { Field } from './fields.tsx';

/**
 * A patient search box whose results htmx fetches from `results` (`?q=`) into `into` as the
 * member types, `delayMs` after the last key. Enter in it never submits its form: it would book
 * whoever the results happened to hold (static/booking-form.js).
 */
export const PatientSearchField = (props: {
  id: string;
  label: string;
  value: string;
  results: string;
  into: string;
  delayMs: number;
  error?: string | undefined;
  autofocus?: boolean;
}) => (
  <Field
    id={props.id}
    name="q"
    label={props.label}
    type="search"
    value={props.value}
    autocomplete="off"
    required={false}
    hx-get={props.results}
    hx-trigger={`input changed delay:${props.delayMs}ms`}
    hx-target={props.into}
    hint="Name, email or phone; at least two letters. Then choose the patient below."
    error={props.error}
    autofocus={props.autofocus}
    data-patient-search=""
  />
);

/**
 * A date and a start time (5-minute steps): `<idPrefix>-date`, `<idPrefix>-time`; `error` (about
 * the time as a whole: not valid, taken, past) is shown under the time.
 */
export const DateTimeFields = (props: {
  idPrefix: string;
  date: string;
  time: string;
  error?: string | undefined;
  /** Focus the time when the form comes back (its error is the first). */
  autofocus?: boolean;
}) => (
  <>
    <Field
      id={`${props.idPrefix}-date`}
      name="date"
      label="Date"
      type="date"
      value={props.date}
      aria-invalid={props.error ? 'true' : undefined}
    />
    <Field
      id={`${props.idPrefix}-time`}
      name="time"
      label="Time"
      type="time"
      value={props.time}
      step="300"
      error={props.error}
      autofocus={props.autofocus}
    />
  </>
);
