import type { Child } from 'hono/jsx';
import type { TemplateField } from '../../../../src/domain/chart/index.ts';
import { Fact } from '../../../components/facts.tsx';

/**
 * A template's fields as a note's form (a draft its author edits) or as read-only text (a signed
 * note, another's draft). Inputs are named `a.<fieldId>` (`a.<fieldId>.<part>` for vitals,
 * signatures and table cells), which the route turns back into answers.
 */
export type AnswerMap = Record<string, unknown>;

const inputId = (field: TemplateField, part?: string) => `a-${field.id}${part ? `-${part}` : ''}`;
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

const vitalParts = [
  { id: 'systolic', label: 'Systolic (mmHg)', part: 'bloodPressure' },
  { id: 'diastolic', label: 'Diastolic (mmHg)', part: 'bloodPressure' },
  { id: 'pulse', label: 'Pulse (/min)', part: 'pulse' },
  { id: 'weightKg', label: 'Weight (kg)', part: 'weight' },
  { id: 'heightCm', label: 'Height (cm)', part: 'height' },
] as const;

/** The inputs a vitals field asks for (its `parts`; all when it names none). */
const vitalInputsOf = (f: Of<'vitals'>) => vitalParts.filter((v) => !f.parts || f.parts.includes(v.part));

/** How many table rows a draft shows: what was written and one more (at most 100). */
export const tableRowsShown = (answer: unknown) =>
  Math.min(100, (Array.isArray(answer) ? answer.length : 0) + 1);

/** What every control of a field shares: its ids, its name, its label, help and error. */
interface Parts {
  id: string;
  name: string;
  label: Child;
  help: Child;
  error: Child;
  described: string | undefined;
  invalid: 'true' | undefined;
}

function partsOf(f: TemplateField, errorText: string | undefined): Parts {
  const id = inputId(f);
  return {
    id,
    name: `a.${f.id}`,
    label: (
      <>
        {f.label}
        {f.type !== 'heading' && f.required ? <span class="muted"> (required to sign)</span> : null}
      </>
    ),
    help: f.help ? (
      <small id={`${id}-hint`} class="muted">
        {f.help}
      </small>
    ) : null,
    error: errorText ? (
      <p id={`${id}-error`} class="field-error">
        {errorText}
      </p>
    ) : null,
    described:
      [f.help ? `${id}-hint` : '', errorText ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined,
    invalid: errorText ? 'true' : undefined,
  };
}

type Of<T extends TemplateField['type']> = Extract<TemplateField, { type: T }>;
interface InputProps<F> {
  f: F;
  p: Parts;
  value: unknown;
}

/** A field of one control: its label (for `labelFor`, else the field's input), the control, help and error. */
function OneControl(props: { p: Parts; labelFor?: string; label?: Child; children: Child }) {
  return (
    <div class="field">
      <label for={props.labelFor ?? props.p.id}>{props.label ?? props.p.label}</label>
      {props.children}
      {props.p.help}
      {props.p.error}
    </div>
  );
}

/** A field of several controls: a fieldset whose legend is the field's label, then help and error. */
function Controls({ p, children }: { p: Parts; children: Child }) {
  return (
    <fieldset class="field" aria-describedby={p.described}>
      <legend>{p.label}</legend>
      {children}
      {p.help}
      {p.error}
    </fieldset>
  );
}

/** One field as a form control with its label, help and error. */
export function FieldInput(props: { field: TemplateField; value: unknown; error?: string | undefined }) {
  const { field: f, value } = props;
  const p = partsOf(f, props.error);
  if (f.type === 'heading')
    return (
      <div>
        <h3>{f.label}</h3>
        {p.help}
      </div>
    );
  const Control = controls[f.type] as (props: InputProps<typeof f>) => Child;
  return <Control f={f} p={p} value={value} />;
}

function PlainInput({ f, p, value }: InputProps<Of<'short-text'> | Of<'date'> | Of<'number'>>) {
  const number = f.type === 'number' ? f : undefined;
  return (
    <OneControl
      p={p}
      label={
        <>
          {p.label}
          {number?.unit ? ` (${number.unit})` : ''}
        </>
      }
    >
      <input
        id={p.id}
        name={p.name}
        type={f.type === 'short-text' ? 'text' : f.type}
        value={str(value)}
        step={number ? 'any' : undefined}
        min={number?.min}
        max={number?.max}
        maxlength={f.type === 'short-text' ? 500 : undefined}
        aria-describedby={p.described}
        aria-invalid={p.invalid}
      />
    </OneControl>
  );
}

function LongText({ p, value }: InputProps<Of<'long-text'>>) {
  return (
    <OneControl p={p}>
      <textarea id={p.id} name={p.name} rows={4} aria-describedby={p.described} aria-invalid={p.invalid}>
        {str(value)}
      </textarea>
    </OneControl>
  );
}

const yesNo = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];

function Choices({ f, p, value }: InputProps<Of<'single-choice'> | Of<'multiple-choice'> | Of<'yes-no'>>) {
  const multiple = f.type === 'multiple-choice';
  const options = f.type === 'yes-no' ? yesNo : f.options;
  const chosen = (v: string) =>
    f.type === 'yes-no'
      ? (v === 'yes' && value === true) || (v === 'no' && value === false)
      : multiple
        ? Array.isArray(value) && value.includes(v)
        : value === v;
  return (
    <Controls p={p}>
      {options.map((o) => (
        <label>
          <input
            type={multiple ? 'checkbox' : 'radio'}
            name={p.name}
            value={o.value}
            checked={chosen(o.value)}
          />{' '}
          {o.label}
        </label>
      ))}
      {multiple ? null : (
        <label>
          <input type="radio" name={p.name} value="" checked={value === undefined} />{' '}
          <span class="muted">Not answered</span>
        </label>
      )}
    </Controls>
  );
}

function Scale({ f, p, value }: InputProps<Of<'scale'>>) {
  return (
    <OneControl p={p}>
      <select id={p.id} name={p.name} aria-describedby={p.described}>
        <option value="">—</option>
        {Array.from({ length: 11 }, (_, n) => (
          <option value={String(n)} selected={value === n}>
            {n}
            {n === 0 && f.minLabel ? ` – ${f.minLabel}` : ''}
            {n === 10 && f.maxLabel ? ` – ${f.maxLabel}` : ''}
          </option>
        ))}
      </select>
    </OneControl>
  );
}

function Vitals({ f, p, value }: InputProps<Of<'vitals'>>) {
  const v = obj(value);
  return (
    <Controls p={p}>
      {vitalInputsOf(f).map((part) => (
        <div class="field">
          <label for={inputId(f, part.id)}>{part.label}</label>
          <input
            id={inputId(f, part.id)}
            name={`${p.name}.${part.id}`}
            type="number"
            step="any"
            inputmode="decimal"
            value={str(v[part.id])}
          />
        </div>
      ))}
      {!f.parts || (f.parts.includes('weight') && f.parts.includes('height')) ? (
        <p class="muted">
          BMI: {v.bmi === undefined ? '— (from weight and height, when saved)' : str(v.bmi)}
        </p>
      ) : null}
    </Controls>
  );
}

/** A table answer's rows ([] when there are none). */
const tableRows = (answer: unknown) => (Array.isArray(answer) ? (answer as Record<string, unknown>[]) : []);

/** A table field's grid: a head row of its columns' labels, then a row per entry of `rows`, each cell drawn by `cell`. */
function Grid<R>(props: {
  columns: Of<'table'>['columns'];
  rows: R[];
  cell: (row: R, column: Of<'table'>['columns'][number]) => Child;
}) {
  return (
    <table class="list">
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th scope="col">{c.label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            {props.columns.map((c) => (
              <td>{props.cell(r, c)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TableInput({ f, p, value }: InputProps<Of<'table'>>) {
  const rows = tableRows(value);
  const shown = tableRowsShown(value);
  return (
    <Controls p={p}>
      <div class="table-scroll">
        <Grid
          columns={f.columns}
          rows={Array.from({ length: shown }, (_, r) => r)}
          cell={(r, c) => (
            <input
              name={`${p.name}.${r}.${c.id}`}
              value={str(rows[r]?.[c.id])}
              aria-label={`${c.label}, row ${r + 1}`}
            />
          )}
        />
      </div>
      <input type="hidden" name={`${p.name}.rows`} value={String(shown)} />
    </Controls>
  );
}

function Signature({ f, p, value }: InputProps<Of<'signature'>>) {
  return (
    <OneControl p={p} labelFor={inputId(f, 'name')} label={<>{p.label}: typed name</>}>
      <input
        id={inputId(f, 'name')}
        name={`${p.name}.name`}
        value={str(obj(value).name)}
        aria-describedby={p.described}
      />
    </OneControl>
  );
}

/** What an answer reads as on a signed note ("—" when unanswered). */
export function answerText(field: TemplateField, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  switch (field.type) {
    case 'single-choice':
      return field.options.find((o) => o.value === value)?.label ?? str(value);
    case 'multiple-choice':
      return (
        (value as string[]).map((v) => field.options.find((o) => o.value === v)?.label ?? v).join(', ') || '—'
      );
    case 'yes-no':
      return value ? 'Yes' : 'No';
    case 'number':
      return `${str(value)}${field.unit ? ` ${field.unit}` : ''}`;
    case 'scale':
      return `${str(value)} / 10`;
    case 'vitals': {
      const v = obj(value);
      return (
        [
          v.systolic !== undefined || v.diastolic !== undefined
            ? `BP ${str(v.systolic)}/${str(v.diastolic)} mmHg`
            : '',
          v.pulse !== undefined ? `pulse ${str(v.pulse)}/min` : '',
          v.weightKg !== undefined ? `${str(v.weightKg)} kg` : '',
          v.heightCm !== undefined ? `${str(v.heightCm)} cm` : '',
          v.bmi !== undefined ? `BMI ${str(v.bmi)}` : '',
        ]
          .filter(Boolean)
          .join(' · ') || '—'
      );
    }
    case 'signature':
      return `Signed: ${str(obj(value).name)}`;
    default:
      return str(value);
  }
}

/** A signed note's (or another's draft's) answers, read-only. */
export function AnswersRead(props: { fields: TemplateField[]; answers: AnswerMap }) {
  return (
    <dl class="details">
      {props.fields.map((f) => {
        if (f.type === 'heading') return <dt class="heading">{f.label}</dt>;
        if (f.type === 'table') {
          const rows = tableRows(props.answers[f.id]);
          return (
            <Fact term={f.label}>
              {rows.length ? <Grid columns={f.columns} rows={rows} cell={(r, c) => str(r[c.id])} /> : '—'}
            </Fact>
          );
        }
        return (
          <Fact term={f.label}>
            <Lines text={answerText(f, props.answers[f.id])} />
          </Fact>
        );
      })}
    </dl>
  );
}

/** Text with its line breaks kept (each line, then a break). */
export function Lines(props: { text: string }) {
  const lines = props.text.split(/\r?\n/);
  return (
    <>
      {lines.map((line, i) => (
        <>
          {line}
          {i < lines.length - 1 ? <br /> : null}
        </>
      ))}
    </>
  );
}

/** The control drawn for each type of field (a heading is text, not a control). */
const controls: { [T in Exclude<TemplateField['type'], 'heading'>]: (props: InputProps<Of<T>>) => Child } = {
  'short-text': PlainInput,
  date: PlainInput,
  number: PlainInput,
  'long-text': LongText,
  'single-choice': Choices,
  'multiple-choice': Choices,
  'yes-no': Choices,
  scale: Scale,
  vitals: Vitals,
  table: TableInput,
  signature: Signature,
};
