/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { parseNumber } from '../form-sections.ts';
import type { TemplateField } from '../forms-api.ts';
import type { MessageKey } from '../i18n.ts';

/** What every question of a form is given: its field, its answer, and where to report changes. */
export interface QuestionProps {
  field: TemplateField;
  value: unknown;
  /** Why the answer is refused (required and missing, or refused by the clinic), if shown. */
  error: string | undefined;
  onChange(value: unknown): void;
  /** A typed value that cannot be saved (not a number, out of range), or null when it can. */
  onInvalid(message: string | null): void;
}

export const questionId = (fieldId: string) => `q-${fieldId}`;

/** The label's text with "(required)" when it is. */
export function LabelText(props: { field: TemplateField }) {
  const { t } = useApp().i18n;
  const required = 'required' in props.field && props.field.required;
  return (
    <>
      {props.field.label}
      {required && <span class="required"> ({t('formRequired')})</span>}
    </>
  );
}

/**
 * A question answered with several controls: a fieldset named by the question's label, its hint,
 * the controls, and its error (`d`, from useDescription; `describedBy` when more describes it).
 */
export function QuestionFieldset(props: {
  field: TemplateField;
  kind: string;
  d: Description;
  describedBy?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <fieldset class={`question ${props.kind}`} aria-describedby={props.describedBy ?? props.d.describedBy}>
      <legend>
        <LabelText field={props.field} />
      </legend>
      {props.d.hint}
      {props.children}
      {props.d.errorText}
    </fieldset>
  );
}

type Description = ReturnType<typeof useDescription>;

/** The help and the error under a question, and the ids that describe its control. */
export function useDescription(field: TemplateField, error: string | undefined, local?: string | null) {
  const id = questionId(field.id);
  const shown = error ?? local ?? undefined;
  const describedBy = [field.help ? `${id}-hint` : '', shown ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    id,
    shown,
    describedBy: describedBy || undefined,
    hint: field.help ? (
      <p class="hint" id={`${id}-hint`}>
        {field.help}
      </p>
    ) : null,
    errorText: shown ? (
      <p class="error" id={`${id}-error`}>
        {shown}
      </p>
    ) : null,
  };
}

/** A typed number checked as the server checks it: the message key and its value, or null. */
export function numberProblem(
  text: string,
  rule: { min?: number | undefined; max?: number | undefined; whole?: boolean },
): [MessageKey, number?] | null {
  const n = parseNumber(text);
  if (n === undefined) return null;
  if (n === null) return ['formNumber'];
  if (rule.whole && !Number.isInteger(n)) return ['formWhole'];
  if (rule.min !== undefined && n < rule.min) return ['formAtLeast', rule.min];
  if (rule.max !== undefined && n > rule.max) return ['formAtMost', rule.max];
  return null;
}

/** A number's text, kept as typed while it is being typed; follows the answer when it changes elsewhere. */
/**
 * A number typed as text (the phone shows a keypad with a decimal separator): what is typed stays
 * as typed, `onText` gets each change.
 */
export function DecimalInput(props: {
  id: string;
  text: string;
  onText(text: string): void;
  invalid: boolean;
  describedBy?: string | undefined;
  onBlur?: () => void;
}) {
  return (
    <input
      id={props.id}
      type="text"
      inputMode="decimal"
      autocomplete="off"
      value={props.text}
      aria-invalid={props.invalid ? 'true' : undefined}
      aria-describedby={props.describedBy}
      onBlur={props.onBlur}
      onInput={(e) => props.onText((e.currentTarget as HTMLInputElement).value)}
    />
  );
}

export function useNumberText(value: unknown): [string, (text: string) => void] {
  const [text, setText] = useState(typeof value === 'number' ? String(value) : '');
  useEffect(() => {
    const typed = parseNumber(text);
    if (typeof value === 'number' && typed !== value) setText(String(value));
    if (value === undefined && typeof typed === 'number') setText('');
  }, [value]);
  return [text, setText];
}
