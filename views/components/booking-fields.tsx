import { Field } from './fields.tsx';

/**
 * A patient search box whose results htmx fetches from `results` (`?q=`) into `into` as the
 * member types, `delayMs` after the last key.
 */
export const PatientSearchField = (props: {
  id: string;
  label: string;
  value: string;
  results: string;
  into: string;
  delayMs: number;
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
    hint="Name, email or phone; at least two letters."
  />
);

/** A date and a start time (5-minute steps): `<idPrefix>-date`, `<idPrefix>-time`. */
export const DateTimeFields = (props: { idPrefix: string; date: string; time: string }) => (
  <>
    <Field id={`${props.idPrefix}-date`} name="date" label="Date" type="date" value={props.date} />
    <Field id={`${props.idPrefix}-time`} name="time" label="Time" type="time" value={props.time} step="300" />
  </>
);
