import type { Child, JSX } from 'hono/jsx';

/** The input attributes a field passes on as given (`step`, `min`, `maxlength`, `hx-get`…). */
type InputAttributes = Omit<JSX.IntrinsicElements['input'], 'id' | 'name' | 'type' | 'children'>;

/**
 * A labelled input, `f-<name>` unless `id` says otherwise. Required unless `required={false}`
 * (most staff fields are); a hint is tied to the input (`aria-describedby`), and so is `error`,
 * shown right under it (the field is then `aria-invalid`).
 */
export function Field(
  props: InputAttributes & {
    name: string;
    label: string;
    id?: string;
    type?: string;
    hint?: string;
    error?: string | undefined;
  },
) {
  const { name, label, hint, error, type, value, autocomplete, required, inputmode, autofocus, ...rest } =
    props;
  const { id = `f-${name}`, ...attributes } = rest;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        name={name}
        type={type ?? 'text'}
        value={value}
        autocomplete={autocomplete}
        required={required ?? true}
        inputmode={inputmode}
        autofocus={autofocus}
        aria-invalid={error ? 'true' : undefined}
        {...attributes}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldFrame>
  );
}

/** A field's frame: its label, the control (`children`), then its hint and its error. */
const FieldFrame = (props: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: Child;
}) => (
  <div class="field">
    <label for={props.id}>{props.label}</label>
    {props.children}
    <Hint id={props.id} text={props.hint} />
    <FieldError id={props.id} text={props.error} />
  </div>
);

/**
 * Ties a form's fields to its state: `{...at('name')}` gives a field its name, its value (as
 * stored or as typed) and its error.
 */
export const bindForm =
  <V extends object>(values: V, errors: Record<string, string | undefined> = {}) =>
  (name: keyof V & string) => ({ name, value: values[name] as string | undefined, error: errors[name] });

/** The ids of a field's hint and error, for `aria-describedby` (none: undefined). */
export const describedBy = (id: string, hint?: string, error?: string) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

const Hint = (props: { id: string; text: string | undefined }) =>
  props.text ? (
    <small id={`${props.id}-hint`} class="muted">
      {props.text}
    </small>
  ) : null;

/** What is wrong with a field, under it (`<id>-error`, for `aria-describedby`). */
export const FieldError = (props: { id: string; text: string | undefined }) =>
  props.text ? (
    <p id={`${props.id}-error`} class="field-error">
      {props.text}
    </p>
  ) : null;

/** A labelled multi-line text field (`f-<name>`), optional, with its hint and error tied to it. */
export function TextAreaField(props: {
  name: string;
  label: string;
  value: string | undefined;
  hint?: string;
  error?: string | undefined;
  rows?: number;
  maxlength?: number;
}) {
  const id = `f-${props.name}`;
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error}>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 3}
        maxlength={props.maxlength ?? 2000}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      >
        {props.value}
      </textarea>
    </FieldFrame>
  );
}

/** An option of a select: a value shown as itself, or a record's id shown by its name. */
export type Option = string | { id: string; name: string };

/** A select's fixed choices, value → label, in the order written (values are words, never numbers). */
export const choices = (labels: Record<string, string>): Option[] =>
  Object.entries(labels).map(([id, name]) => ({ id, name }));

/**
 * A labelled select (`f-<name>` unless `id` says otherwise), with `selected` chosen; `blank`
 * adds a first option without a value ("Any"). Not required unless `required` (a select always
 * has a value; a blank one is a choice).
 */
export function SelectField(props: {
  name: string;
  label: string;
  options: readonly Option[];
  id?: string;
  selected?: string | undefined;
  blank?: string;
  required?: boolean;
  error?: string | undefined;
  /** Attributes for each option's element by its value (`data-…`). */
  optionAttributes?: (value: string) => Record<string, string> | undefined;
}) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <FieldFrame id={id} label={props.label} error={props.error}>
      <select
        id={id}
        name={props.name}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, undefined, props.error)}
      >
        {props.blank === undefined ? null : <option value="">{props.blank}</option>}
        {props.options.map((o) => {
          const [value, label] = typeof o === 'string' ? [o, o] : [o.id, o.name];
          return (
            <option value={value} selected={props.selected === value} {...props.optionAttributes?.(value)}>
              {label}
            </option>
          );
        })}
      </select>
    </FieldFrame>
  );
}

/**
 * A filter's date range: "From" and "To" dates, neither required, named `from` and `to`; their
 * ids `f-from` and `f-to`, or `<idPrefix>-from` and `<idPrefix>-to`.
 */
export const DateRangeFields = (props: { from: string; to: string; idPrefix?: string }) => (
  <>
    {(['from', 'to'] as const).map((end) => (
      <Field
        name={end}
        id={props.idPrefix ? `${props.idPrefix}-${end}` : undefined}
        label={end === 'from' ? 'From' : 'To'}
        type="date"
        value={props[end]}
        required={false}
      />
    ))}
  </>
);

/** A checkbox with its label after it (`value`: one of several boxes of the same name). */
export function CheckField(props: { name: string; label: string; checked: boolean; value?: string }) {
  return (
    <div class="field">
      <label>
        <input type="checkbox" name={props.name} value={props.value} checked={props.checked} /> {props.label}
      </label>
    </div>
  );
}

/** A whole number (the phone shows a numeric keypad); a re-shown form gives back what was typed. */
export const NumberField = (props: { name: string; label: string; value: number | string }) => (
  <Field name={props.name} label={props.label} value={String(props.value)} inputmode="numeric" />
);
