/** @jsxImportSource preact */
import type { InputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';
import { useApp } from './context.ts';

/* The app's form fields: each labelled, its hint and error tied to it for assistive technology. */

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'label'>;

/** A labelled input with its hint and its error tied to it for assistive technology. */
export function Field(props: InputProps & { label: string; hint?: string; error?: string | undefined }) {
  const { label, hint, error, ...input } = props;
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        {...(input as Record<string, unknown>)}
      />
      {error && (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled multi-line text, with its hint and error tied to it like Field's. */
export function TextAreaField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: string;
  error?: string | undefined;
  maxLength?: number;
  name?: string;
}) {
  const id = useId();
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <textarea
        id={id}
        name={props.name}
        rows={3}
        maxLength={props.maxLength}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
      {props.error && (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A one-time code's input: six digits, which the phone may offer to fill in from the message. */
export function CodeField(props: InputProps & { label: string; error?: string | undefined }) {
  return (
    <Field
      inputMode="numeric"
      autocomplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      required
      {...props}
    />
  );
}

/** A phone number: typed with its country code, as the hint says (registration and the profile). */
export function PhoneField(props: {
  label: string;
  name: string;
  value: string;
  error: string | undefined;
  onInput(e: Event): void;
}) {
  const { t } = useApp().i18n;
  return <Field hint={t('phoneHint')} type="tel" autocomplete="tel" {...props} />;
}

/** The patient's own date of birth, bound with `useForm`'s `field` (the browser may fill it in). */
export function BirthDateField(props: {
  name: string;
  value: string;
  error: string | undefined;
  onInput(e: Event): void;
}) {
  const { t } = useApp().i18n;
  return <Field label={t('dateOfBirth')} type="date" autocomplete="bday" required {...props} />;
}

interface SelectFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  name?: string;
  error?: string | undefined;
  class?: string;
  hideLabel?: boolean;
}

/** A labelled select (label by id: a wrapping label would add the options to its name). */
export function SelectField(props: SelectFieldProps) {
  const id = useId();
  return (
    <div class={props.class ?? 'field'}>
      <label for={id} class={props.hideLabel ? 'visually-hidden' : undefined}>
        {props.label}
      </label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error && (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/**
 * A choice of one of the family: the patient first ("Me (Maya)"), then each dependant by name.
 * Nothing when the patient has no dependants.
 */
export function FamilyField(props: Omit<SelectFieldProps, 'options'>) {
  const app = useApp();
  const { t } = app.i18n;
  if (app.family.length < 2) return null;
  return (
    <SelectField
      {...props}
      options={app.family.map((p, i) => ({
        value: p.id,
        label: i === 0 ? `${t('me')} (${p.firstName})` : `${p.firstName} ${p.lastName}`,
      }))}
    />
  );
}

export function Check(props: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  name?: string;
}) {
  const id = useId();
  return (
    <div class="check">
      <input
        id={id}
        type="checkbox"
        name={props.name}
        checked={props.checked}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>{props.label}</label>
    </div>
  );
}

/**
 * Radio buttons shown as one segmented control: a choice among `options`, each labelled by
 * `label`; the chosen one is marked `on`. `class` is added to the fieldset's, `hideLegend`
 * keeps the legend for screen readers only.
 */
export function Segmented<V extends string>(props: {
  name: string;
  legend: string;
  options: readonly V[];
  value: V;
  label: (option: V) => string;
  onChange: (option: V) => void;
  class?: string;
  hideLegend?: boolean;
}) {
  return (
    <fieldset class={props.class ? `segmented ${props.class}` : 'segmented'}>
      <legend class={props.hideLegend ? 'visually-hidden' : undefined}>{props.legend}</legend>
      {props.options.map((o) => (
        <label key={o} class={props.value === o ? 'on' : undefined}>
          <input
            type="radio"
            name={props.name}
            value={o}
            checked={props.value === o}
            onChange={() => props.onChange(o)}
          />
          {props.label(o)}
        </label>
      ))}
    </fieldset>
  );
}
