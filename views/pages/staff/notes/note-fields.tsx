import type { TemplateField } from '../../../../src/domain/chart/index.ts';

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
  { id: 'systolic', label: 'Systolic (mmHg)' },
  { id: 'diastolic', label: 'Diastolic (mmHg)' },
  { id: 'pulse', label: 'Pulse (/min)' },
  { id: 'weightKg', label: 'Weight (kg)' },
  { id: 'heightCm', label: 'Height (cm)' },
] as const;

/** How many table rows a draft shows: what was written and one more (at most 100). */
export const tableRowsShown = (answer: unknown) =>
  Math.min(100, (Array.isArray(answer) ? answer.length : 0) + 1);

/** One field as a form control with its label, help and error. */
export function FieldInput(props: { field: TemplateField; value: unknown; error?: string | undefined }) {
  const { field: f, value } = props;
  const id = inputId(f);
  const name = `a.${f.id}`;
  const help = f.help ? (
    <small id={`${id}-hint`} class="muted">
      {f.help}
    </small>
  ) : null;
  const error = props.error ? (
    <p id={`${id}-error`} class="field-error">
      {props.error}
    </p>
  ) : null;
  const described =
    [f.help ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const label = (
    <>
      {f.label}
      {f.type !== 'heading' && f.required ? <span class="muted"> (required to sign)</span> : null}
    </>
  );
  switch (f.type) {
    case 'heading':
      return (
        <div>
          <h3>{f.label}</h3>
          {help}
        </div>
      );
    case 'short-text':
    case 'date':
    case 'number':
      return (
        <div class="field">
          <label for={id}>
            {label}
            {f.type === 'number' && f.unit ? ` (${f.unit})` : ''}
          </label>
          <input
            id={id}
            name={name}
            type={f.type === 'short-text' ? 'text' : f.type}
            value={str(value)}
            step={f.type === 'number' ? 'any' : undefined}
            min={f.type === 'number' ? f.min : undefined}
            max={f.type === 'number' ? f.max : undefined}
            maxlength={f.type === 'short-text' ? 500 : undefined}
            aria-describedby={described}
            aria-invalid={props.error ? 'true' : undefined}
          />
          {help}
          {error}
        </div>
      );
    case 'long-text':
      return (
        <div class="field">
          <label for={id}>{label}</label>
          <textarea
            id={id}
            name={name}
            rows={4}
            aria-describedby={described}
            aria-invalid={props.error ? 'true' : undefined}
          >
            {str(value)}
          </textarea>
          {help}
          {error}
        </div>
      );
    case 'single-choice':
    case 'multiple-choice':
    case 'yes-no': {
      const multiple = f.type === 'multiple-choice';
      const options =
        f.type === 'yes-no'
          ? [
              { value: 'yes', label: 'Yes' },
              { value: 'no', label: 'No' },
            ]
          : f.options;
      const chosen = (v: string) =>
        f.type === 'yes-no'
          ? (v === 'yes' && value === true) || (v === 'no' && value === false)
          : multiple
            ? Array.isArray(value) && value.includes(v)
            : value === v;
      return (
        <fieldset class="field" aria-describedby={described}>
          <legend>{label}</legend>
          {options.map((o) => (
            <label>
              <input
                type={multiple ? 'checkbox' : 'radio'}
                name={name}
                value={o.value}
                checked={chosen(o.value)}
              />{' '}
              {o.label}
            </label>
          ))}
          {multiple ? null : (
            <label>
              <input type="radio" name={name} value="" checked={value === undefined} />{' '}
              <span class="muted">Not answered</span>
            </label>
          )}
          {help}
          {error}
        </fieldset>
      );
    }
    case 'scale':
      return (
        <div class="field">
          <label for={id}>{label}</label>
          <select id={id} name={name} aria-describedby={described}>
            <option value="">—</option>
            {Array.from({ length: 11 }, (_, n) => (
              <option value={String(n)} selected={value === n}>
                {n}
                {n === 0 && f.minLabel ? ` – ${f.minLabel}` : ''}
                {n === 10 && f.maxLabel ? ` – ${f.maxLabel}` : ''}
              </option>
            ))}
          </select>
          {help}
          {error}
        </div>
      );
    case 'vitals': {
      const v = obj(value);
      return (
        <fieldset class="field" aria-describedby={described}>
          <legend>{label}</legend>
          {vitalParts.map((p) => (
            <div class="field">
              <label for={inputId(f, p.id)}>{p.label}</label>
              <input
                id={inputId(f, p.id)}
                name={`${name}.${p.id}`}
                type="number"
                step="any"
                inputmode="decimal"
                value={str(v[p.id])}
              />
            </div>
          ))}
          <p class="muted">
            BMI: {v.bmi === undefined ? '— (from weight and height, when saved)' : str(v.bmi)}
          </p>
          {help}
          {error}
        </fieldset>
      );
    }
    case 'table': {
      const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
      const shown = tableRowsShown(value);
      return (
        <fieldset class="field" aria-describedby={described}>
          <legend>{label}</legend>
          <div class="table-scroll">
            <table class="list">
              <thead>
                <tr>
                  {f.columns.map((c) => (
                    <th scope="col">{c.label}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: shown }, (_, r) => (
                  <tr>
                    {f.columns.map((c) => (
                      <td>
                        <input
                          name={`${name}.${r}.${c.id}`}
                          value={str(rows[r]?.[c.id])}
                          aria-label={`${c.label}, row ${r + 1}`}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <input type="hidden" name={`${name}.rows`} value={String(shown)} />
          {help}
          {error}
        </fieldset>
      );
    }
    case 'signature':
      return (
        <div class="field">
          <label for={inputId(f, 'name')}>{label}: typed name</label>
          <input
            id={inputId(f, 'name')}
            name={`${name}.name`}
            value={str(obj(value).name)}
            aria-describedby={described}
          />
          {help}
          {error}
        </div>
      );
  }
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
          const rows = Array.isArray(props.answers[f.id])
            ? (props.answers[f.id] as Record<string, unknown>[])
            : [];
          return (
            <>
              <dt>{f.label}</dt>
              <dd>
                {rows.length ? (
                  <table class="list">
                    <thead>
                      <tr>
                        {f.columns.map((c) => (
                          <th scope="col">{c.label}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr>
                          {f.columns.map((c) => (
                            <td>{str(r[c.id])}</td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  '—'
                )}
              </dd>
            </>
          );
        }
        return (
          <>
            <dt>{f.label}</dt>
            <dd>
              <Lines text={answerText(f, props.answers[f.id])} />
            </dd>
          </>
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
