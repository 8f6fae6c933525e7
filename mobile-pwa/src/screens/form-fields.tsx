/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { bmiOf, parseNumber, type VitalsKey, vitalsPartsOf } from '../form-sections.ts';
import type { TemplateField } from '../forms-api.ts';
import type { MessageKey } from '../i18n.ts';

/**
 * One question of a form, by its field's type: text, number with its unit, a choice (a fieldset
 * with its legend), a date, yes or no, a 0–10 scale, vitals (BMI shown as computed), a table of
 * rows. Each control's id is `q-<fieldId>` (the error summary focuses it); the help and the error
 * are tied to it with aria-describedby. Numbers are typed as text ("72,5" works in French) and
 * reported through `onInvalid` while they are not a number the clinic takes.
 */
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

export function Question(props: QuestionProps) {
  switch (props.field.type) {
    case 'short-text':
    case 'long-text':
    case 'date':
      return <TextQuestion {...props} />;
    case 'number':
      return <NumberQuestion {...props} />;
    case 'single-choice':
    case 'multiple-choice':
    case 'yes-no':
    case 'scale':
      return <ChoiceQuestion {...props} />;
    case 'vitals':
      return <VitalsQuestion {...props} />;
    case 'table':
      return <TableQuestion {...props} />;
    default:
      return null;
  }
}

/** The label's text with "(required)" when it is. */
function LabelText(props: { field: TemplateField }) {
  const { t } = useApp().i18n;
  const required = 'required' in props.field && props.field.required;
  return (
    <>
      {props.field.label}
      {required && <span class="required"> ({t('formRequired')})</span>}
    </>
  );
}

/** The help and the error under a question, and the ids that describe its control. */
function useDescription(field: TemplateField, error: string | undefined, local?: string | null) {
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

function TextQuestion(props: QuestionProps) {
  const { field } = props;
  const d = useDescription(field, props.error);
  const value = typeof props.value === 'string' ? props.value : '';
  const common = {
    id: d.id,
    value,
    'aria-invalid': d.shown ? ('true' as const) : undefined,
    'aria-describedby': d.describedBy,
    'aria-required': 'required' in field && field.required ? ('true' as const) : undefined,
    onInput: (e: Event) => props.onChange((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field question">
      <label for={d.id}>
        <LabelText field={field} />
      </label>
      {d.hint}
      {field.type === 'long-text' ? (
        <textarea rows={4} maxLength={20_000} {...common} />
      ) : field.type === 'date' ? (
        <input type="date" {...common} />
      ) : (
        <input type="text" maxLength={500} {...common} />
      )}
      {d.errorText}
    </div>
  );
}

/** A typed number checked as the server checks it: the message key and its value, or null. */
function numberProblem(
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
function useNumberText(value: unknown): [string, (text: string) => void] {
  const [text, setText] = useState(typeof value === 'number' ? String(value) : '');
  useEffect(() => {
    const typed = parseNumber(text);
    if (typeof value === 'number' && typed !== value) setText(String(value));
    if (value === undefined && typeof typed === 'number') setText('');
  }, [value]);
  return [text, setText];
}

function NumberQuestion(props: QuestionProps) {
  const { field } = props;
  const { t } = useApp().i18n;
  const [text, setText] = useNumberText(props.value);
  const [touched, setTouched] = useState(false);
  const rule = field.type === 'number' ? { min: field.min, max: field.max } : {};
  const problem = numberProblem(text, rule);
  const local = touched && problem ? t(problem[0], { n: problem[1] ?? '' }) : null;
  const d = useDescription(field, props.error, local);
  const unit = field.type === 'number' ? field.unit : undefined;
  return (
    <div class="field question">
      <label for={d.id}>
        <LabelText field={field} />
        {unit && <span class="unit"> ({unit})</span>}
      </label>
      {d.hint}
      <input
        id={d.id}
        type="text"
        inputMode="decimal"
        autocomplete="off"
        value={text}
        aria-invalid={d.shown ? 'true' : undefined}
        aria-describedby={d.describedBy}
        onBlur={() => setTouched(true)}
        onInput={(e) => {
          const next = (e.currentTarget as HTMLInputElement).value;
          setText(next);
          const p = numberProblem(next, rule);
          props.onInvalid(p ? t(p[0], { n: p[1] ?? '' }) : null);
          const n = parseNumber(next);
          if (!p) props.onChange(n ?? null);
        }}
      />
      {d.errorText}
    </div>
  );
}

/** Radio buttons or checkboxes in a fieldset named by the question. */
function ChoiceQuestion(props: QuestionProps) {
  const { field } = props;
  const { t } = useApp().i18n;
  const d = useDescription(field, props.error);
  let options: { value: string; label: string }[] = [];
  let toAnswer = (v: string): unknown => v;
  let fromAnswer = (a: unknown): string[] => (typeof a === 'string' ? [a] : []);
  let layout = 'options';
  let ends: ComponentChildren = null;
  if (field.type === 'single-choice' || field.type === 'multiple-choice') options = field.options;
  if (field.type === 'yes-no') {
    options = [
      { value: 'yes', label: t('formYes') },
      { value: 'no', label: t('formNo') },
    ];
    toAnswer = (v) => v === 'yes';
    fromAnswer = (a) => (a === true ? ['yes'] : a === false ? ['no'] : []);
    layout = 'options yes-no';
  }
  if (field.type === 'scale') {
    options = Array.from({ length: 11 }, (_, n) => ({ value: String(n), label: String(n) }));
    toAnswer = Number;
    fromAnswer = (a) => (typeof a === 'number' ? [String(a)] : []);
    layout = 'options scale';
    ends = (
      <p class="hint scale-ends" id={`${d.id}-ends`}>
        {field.minLabel || field.maxLabel
          ? t('formScaleEnds', { min: field.minLabel ?? '', max: field.maxLabel ?? '' })
          : t('formScaleRange')}
      </p>
    );
  }
  const multiple = field.type === 'multiple-choice';
  const chosen = multiple
    ? Array.isArray(props.value)
      ? (props.value as string[])
      : []
    : fromAnswer(props.value);
  const pick = (value: string, on: boolean) => {
    if (!multiple) return props.onChange(toAnswer(value));
    // In the template's order, whatever order they were ticked in.
    const next = options.map((o) => o.value).filter((v) => (v === value ? on : chosen.includes(v)));
    props.onChange(next);
  };
  const describedBy = [d.describedBy, ends ? `${d.id}-ends` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class="question choices-question" aria-describedby={describedBy}>
      <legend>
        <LabelText field={field} />
      </legend>
      {d.hint}
      {ends}
      <div class={layout}>
        {options.map((o, i) => {
          const on = chosen.includes(o.value);
          return (
            <label key={o.value} class={on ? 'option on' : 'option'}>
              <input
                id={i === 0 ? d.id : undefined}
                type={multiple ? 'checkbox' : 'radio'}
                name={d.id}
                value={o.value}
                checked={on}
                aria-invalid={d.shown ? 'true' : undefined}
                onChange={(e) => pick(o.value, (e.currentTarget as HTMLInputElement).checked)}
              />
              <span>{o.label}</span>
            </label>
          );
        })}
      </div>
      {d.errorText}
    </fieldset>
  );
}

const vitalsWords: Record<VitalsKey, MessageKey> = {
  systolic: 'vitalsSystolic',
  diastolic: 'vitalsDiastolic',
  pulse: 'vitalsPulse',
  weightKg: 'vitalsWeight',
  heightCm: 'vitalsHeight',
};

/** Blood pressure, pulse, weight and height; the BMI shown as the clinic will compute it. */
function VitalsQuestion(props: QuestionProps) {
  const { field } = props;
  const { t } = useApp().i18n;
  const value = (props.value && typeof props.value === 'object' ? props.value : {}) as Record<string, number>;
  const [problems, setProblems] = useState<Partial<Record<VitalsKey, string>>>({});
  const order =
    typeof value.systolic === 'number' &&
    typeof value.diastolic === 'number' &&
    value.systolic <= value.diastolic
      ? t('vitalsOrder')
      : null;
  const firstProblem = Object.values(problems).find(Boolean) ?? order;
  const d = useDescription(field, props.error, firstProblem);
  useEffect(() => props.onInvalid(firstProblem ?? null), [firstProblem]);
  const bmi = bmiOf(value);
  const set = (key: VitalsKey, n: number | undefined) => {
    const { bmi: _computed, ...rest } = value;
    const next: Record<string, number> = { ...rest };
    if (n === undefined) delete next[key];
    else next[key] = n;
    props.onChange(Object.keys(next).length ? next : null);
  };
  return (
    <fieldset class="question vitals" aria-describedby={d.describedBy}>
      <legend>
        <LabelText field={field} />
      </legend>
      {d.hint}
      <div class="vitals-grid">
        {vitalsPartsOf(field).map((part, i) => (
          <VitalsPart
            key={part.key}
            id={i === 0 ? d.id : `${d.id}-${part.key}`}
            label={t(vitalsWords[part.key])}
            value={value[part.key]}
            problem={problems[part.key]}
            onText={(text) => {
              const p = numberProblem(text, part);
              setProblems((all) => ({ ...all, [part.key]: p ? t(p[0], { n: p[1] ?? '' }) : undefined }));
              const n = parseNumber(text);
              if (!p) set(part.key, n ?? undefined);
            }}
          />
        ))}
      </div>
      {bmi !== null && (
        <p class="bmi">
          {t('vitalsBmi')}: <output>{bmi}</output>
        </p>
      )}
      {d.errorText}
    </fieldset>
  );
}

function VitalsPart(props: {
  id: string;
  label: string;
  value: unknown;
  problem: string | undefined;
  onText(text: string): void;
}) {
  const [text, setText] = useNumberText(props.value);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        inputMode="decimal"
        autocomplete="off"
        value={text}
        aria-invalid={props.problem ? 'true' : undefined}
        onInput={(e) => {
          const next = (e.currentTarget as HTMLInputElement).value;
          setText(next);
          props.onText(next);
        }}
      />
    </div>
  );
}

/** Rows of the table's columns, added and removed by the patient (one empty row to start). */
function TableQuestion(props: QuestionProps) {
  const { field } = props;
  const { t } = useApp().i18n;
  const d = useDescription(field, props.error);
  if (field.type !== 'table') return null;
  const saved = Array.isArray(props.value) ? (props.value as Record<string, string>[]) : [];
  const rows = saved.length ? saved : [{}];
  const clean = (list: Record<string, string>[]) =>
    list.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '')));
  const update = (list: Record<string, string>[]) => {
    const kept = clean(list);
    props.onChange(kept.every((r) => Object.keys(r).length === 0) && kept.length <= 1 ? null : kept);
  };
  return (
    <fieldset class="question table-question" aria-describedby={d.describedBy}>
      <legend>
        <LabelText field={field} />
      </legend>
      {d.hint}
      {rows.map((row, r) => (
        <fieldset class="table-row" key={r}>
          <legend>{t('tableRow', { n: r + 1 })}</legend>
          {field.columns.map((c, i) => {
            const id = r === 0 && i === 0 ? d.id : `${d.id}-${r}-${c.id}`;
            return (
              <div class="field" key={c.id}>
                <label for={id}>{c.label}</label>
                <input
                  id={id}
                  type="text"
                  maxLength={1000}
                  value={row[c.id] ?? ''}
                  onInput={(e) => {
                    const next = rows.map((x) => ({ ...x }));
                    next[r] = { ...next[r], [c.id]: (e.currentTarget as HTMLInputElement).value };
                    update(next);
                  }}
                />
              </div>
            );
          })}
          {rows.length > 1 && (
            <button type="button" class="link" onClick={() => update(rows.filter((_, x) => x !== r))}>
              {t('tableRemoveRow', { n: r + 1 })}
            </button>
          )}
        </fieldset>
      ))}
      {rows.length < 100 && (
        <button type="button" class="btn plain" onClick={() => props.onChange([...clean(rows), {}])}>
          {t('tableAddRow')}
        </button>
      )}
      {d.errorText}
    </fieldset>
  );
}
