/** @jsxImportSource preact */
import type { ComponentChildren, FunctionComponent } from 'preact';
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { parseNumber } from '../form-sections.ts';
import type { TemplateField } from '../forms-api.ts';
import {
  DecimalInput,
  LabelText,
  numberProblem,
  QuestionFieldset,
  type QuestionProps,
  questionId,
  useDescription,
  useNumberText,
} from './question-kit.tsx';
import { VitalsQuestion } from './vitals-question.tsx';

export { questionId };

/**
 * One question of a form, by its field's type: text, number with its unit, a choice (a fieldset
 * with its legend), a date, yes or no, a 0–10 scale, vitals (BMI shown as computed), a table of
 * rows. Each control's id is `q-<fieldId>` (the error summary focuses it); the help and the error
 * are tied to it with aria-describedby. Numbers are typed as text ("72,5" works in French) and
 * reported through `onInvalid` while they are not a number the clinic takes.
 */
export function Question(props: QuestionProps) {
  const Asked = questionOf[props.field.type];
  return Asked ? <Asked {...props} /> : null;
}

/** The question each type of field is asked with (headings title the sections; the signature is apart). */
const questionOf: Record<TemplateField['type'], FunctionComponent<QuestionProps> | null> = {
  'short-text': TextQuestion,
  'long-text': TextQuestion,
  date: TextQuestion,
  number: NumberQuestion,
  'single-choice': ChoiceQuestion,
  'multiple-choice': ChoiceQuestion,
  'yes-no': ChoiceQuestion,
  scale: ChoiceQuestion,
  vitals: VitalsQuestion,
  table: TableQuestion,
  heading: null,
  signature: null,
};

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
      <DecimalInput
        id={d.id}
        text={text}
        invalid={Boolean(d.shown)}
        describedBy={d.describedBy}
        onBlur={() => setTouched(true)}
        onText={(next) => {
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
    <QuestionFieldset field={field} kind="choices-question" d={d} describedBy={describedBy}>
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
    </QuestionFieldset>
  );
}

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
    <QuestionFieldset field={field} kind="table-question" d={d}>
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
    </QuestionFieldset>
  );
}
