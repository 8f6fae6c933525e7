import type { Child } from 'hono/jsx';
import type {
  FieldType,
  TemplateField,
  TemplateKind,
  TemplateView,
  VitalsPartName,
} from '../../../../src/domain/chart/index.ts';
import { CheckField, Field } from '../../../components/fields.tsx';
import { Csrf } from '../../../components/form.tsx';
import { Notice } from '../../../components/notice.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';
import { FieldInput } from '../notes/note-fields.tsx';

/**
 * The template builder's state as the page posts it: each row of the editor (`f.<i>.<key>`) in
 * order, plain strings as typed, so a re-shown page gives back exactly what was typed. Choices and
 * table columns are one per line; the values they had keep with their labels (`known`), so an edit
 * never changes what older answers mean.
 */
export interface DraftField {
  /** The field's id: kept from the version edited, made from the label for a new one. */
  id: string;
  type: FieldType;
  label: string;
  help: string;
  required: boolean;
  unit: string;
  min: string;
  max: string;
  /** Choices or columns, one label per line. */
  lines: string;
  minLabel: string;
  maxLabel: string;
  /** The choices' or columns' ids by label, from the version edited (JSON). */
  known: string;
  /** A vitals field's measurements (all four: the default). */
  parts: VitalsPartName[];
}

export interface TemplateDraft {
  name: string;
  kind: TemplateKind;
  /** The version the admin edits (0: a new template); a save on top of a newer one is refused. */
  baseVersion: number;
  fields: DraftField[];
}

/** What each field type is called on the builder. */
export const fieldTypeLabels: Record<FieldType, string> = {
  heading: 'Heading (starts a section)',
  'short-text': 'Short text',
  'long-text': 'Long text',
  number: 'Number with unit',
  'single-choice': 'Single choice',
  'multiple-choice': 'Multiple choice',
  date: 'Date',
  'yes-no': 'Yes / no',
  scale: '0–10 scale',
  vitals: 'Vitals (blood pressure, pulse, weight, height, BMI)',
  table: 'Table',
  signature: 'Signature',
};

const vitalsPartLabels: Record<VitalsPartName, string> = {
  bloodPressure: 'Blood pressure',
  pulse: 'Pulse',
  weight: 'Weight',
  height: 'Height (with weight: BMI)',
};
const kindLabels: Record<TemplateKind, string> = { note: 'Treatment note', form: 'Patient form' };
export const templatesHref = '/staff/settings/templates';

/** Settings → Templates: the note and form templates at their latest version, and new ones. */
export function TemplatesListPage(props: { nav: StaffNavProps; templates: TemplateView[] }) {
  const columns: Column<TemplateView>[] = [
    { head: 'Name', cell: (t) => <a href={`${templatesHref}/${t.id}`}>{t.name}</a> },
    { head: 'Kind', cell: (t) => kindLabels[t.kind] },
    { head: 'Version', cell: (t) => t.version },
    { head: 'Fields', cell: (t) => t.fields.filter((f) => f.type !== 'heading').length },
  ];
  return (
    <StaffLayout title="Note and form templates" nav={props.nav}>
      <p>
        <a href="/staff/settings">Clinic settings</a> ·{' '}
        <a href={`${templatesHref}/new?kind=note`}>New note template</a> ·{' '}
        <a href={`${templatesHref}/new?kind=form`}>New patient form</a>
      </p>
      <p class="muted">
        Editing a template makes a new version: notes and forms already written keep the version they were
        written with.
      </p>
      <DataTable scroll rows={props.templates} columns={columns} caption="Templates" />
    </StaffLayout>
  );
}

/**
 * The builder: the template's name, then one fieldset per field (label, help, required, what its
 * type needs; move up, down, remove), a field to add; the preview beside it follows as the admin
 * types (htmx posts the form to `/preview`). Without script every button still works: the page
 * comes back with the change, nothing saved until "Save".
 */
export function TemplateBuilderPage(props: {
  nav: StaffNavProps;
  action: string;
  /** Where the live preview posts the builder (`/preview` after the path). */
  previewAction: string;
  draft: TemplateDraft;
  preview: { fields: TemplateField[]; incomplete: number[] };
  /** Field messages by row (`fields.3.label` → row 3), and the page's own. */
  errors?: { rows: Record<number, string>; page?: string | undefined };
  /** The row to put the cursor in (the one just added or moved). */
  focus?: number | undefined;
  notice?: string | undefined;
}) {
  const d = props.draft;
  const title = props.draft.baseVersion
    ? `Edit “${d.name}”`
    : `New ${kindLabels[d.kind].toLowerCase()} template`;
  return (
    <StaffLayout title={title} nav={props.nav}>
      <Notice text={props.notice} />
      <p>
        <a href={templatesHref}>All templates</a>
        {d.baseVersion ? (
          <span class="muted">
            {' '}
            · editing version {d.baseVersion}: saving makes version {d.baseVersion + 1}
          </span>
        ) : null}
      </p>
      <div class="builder-layout">
        <form
          method="post"
          action={props.action}
          class="stack builder"
          aria-label="Template"
          hx-post={props.previewAction}
          hx-trigger="input changed delay:300ms"
          hx-target="#preview"
          hx-swap="outerHTML"
        >
          <Csrf token={props.nav.csrf} />
          {/* Enter in a text box saves (the first submit button is the form's default). */}
          <button type="submit" name="action" value="save" hidden>
            Save
          </button>
          {props.errors?.page ? (
            <p class="error" role="alert" id="form-error">
              {props.errors.page}
            </p>
          ) : null}
          <input type="hidden" name="baseVersion" value={String(d.baseVersion)} />
          <input type="hidden" name="count" value={String(d.fields.length)} />
          <Field name="name" label="Template name" value={d.name} maxlength={120} />
          <ol class="builder-fields">
            {d.fields.map((row, i) => (
              <li>
                <FieldRow
                  row={row}
                  index={i}
                  last={i === d.fields.length - 1}
                  error={props.errors?.rows[i]}
                  focus={props.focus === i}
                />
              </li>
            ))}
          </ol>
          <div class="builder-add">
            <label for="f-addType">Add a field</label>
            <select id="f-addType" name="addType">
              {Object.entries(fieldTypeLabels).map(([type, label]) => (
                <option value={type}>{label}</option>
              ))}
            </select>
            <button type="submit" name="action" value="add" class="secondary">
              Add field
            </button>
          </div>
          <button type="submit" name="action" value="save">
            Save template
          </button>
        </form>
        <section aria-labelledby="preview-title">
          <h2 id="preview-title">Preview</h2>
          <FieldsPreview {...props.preview} />
        </section>
      </div>
    </StaffLayout>
  );
}

/** One field of the builder: what it is, its wording, what its type needs, and where it goes. */
function FieldRow(props: {
  row: DraftField;
  index: number;
  last: boolean;
  error?: string | undefined;
  focus: boolean;
}) {
  const { row, index: i } = props;
  const name = (key: string) => `f.${i}.${key}`;
  const id = (key: string) => `b-${i}-${key}`;
  const number = i + 1;
  /** One optional text setting of the row (`f.<i>.<key>`, id `b-<i>-<key>`). */
  const Setting = (p: {
    setting: keyof DraftField & string;
    label: string;
    max?: number;
    decimal?: boolean;
  }) => (
    <Field
      name={name(p.setting)}
      id={id(p.setting)}
      label={p.label}
      value={String(row[p.setting])}
      maxlength={p.max}
      inputmode={p.decimal ? 'decimal' : undefined}
      required={false}
    />
  );
  return (
    <fieldset class="builder-field" aria-invalid={props.error ? 'true' : undefined}>
      <legend>
        {number}. {fieldTypeLabels[row.type]}
      </legend>
      <input type="hidden" name={name('type')} value={row.type} />
      <input type="hidden" name={name('id')} value={row.id} />
      <input type="hidden" name={name('known')} value={row.known} />
      <Field
        name={name('label')}
        id={id('label')}
        label={row.type === 'heading' ? 'Section title' : 'Label'}
        value={row.label}
        maxlength={200}
        required={false}
        autofocus={props.focus}
        error={props.error}
      />
      <Setting setting="help" label="Help text" max={500} />
      {row.type === 'number' ? (
        <div class="builder-inline">
          <Setting setting="unit" label="Unit" max={20} />
          <Setting setting="min" label="Lowest" decimal />
          <Setting setting="max" label="Highest" decimal />
        </div>
      ) : null}
      {row.type === 'scale' ? (
        <div class="builder-inline">
          <Setting setting="minLabel" label="0 means" max={60} />
          <Setting setting="maxLabel" label="10 means" max={60} />
        </div>
      ) : null}
      {row.type === 'vitals' ? (
        <fieldset class="builder-inline">
          <legend>Measurements asked for</legend>
          {Object.entries(vitalsPartLabels).map(([part, label]) => (
            <label>
              <input
                type="checkbox"
                name={name('parts')}
                value={part}
                checked={row.parts.includes(part as VitalsPartName)}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
      ) : null}
      {row.type === 'single-choice' || row.type === 'multiple-choice' || row.type === 'table' ? (
        <div class="field">
          <label for={id('lines')}>
            {row.type === 'table' ? 'Columns, one per line' : 'Choices, one per line'}
          </label>
          <textarea id={id('lines')} name={name('lines')} rows={4}>
            {row.lines}
          </textarea>
        </div>
      ) : null}
      {row.type === 'heading' ? null : (
        <CheckField name={name('required')} label="Required" checked={row.required} />
      )}
      <div class="builder-moves">
        <BuilderButton action={`up:${i}`} label={`Move field ${number} up`} disabled={i === 0}>
          ↑ Up
        </BuilderButton>
        <BuilderButton action={`down:${i}`} label={`Move field ${number} down`} disabled={props.last}>
          ↓ Down
        </BuilderButton>
        <BuilderButton action={`remove:${i}`} label={`Remove field ${number}`}>
          Remove
        </BuilderButton>
      </div>
    </fieldset>
  );
}

/** A builder button: it submits the form with its action (`up:2`, `remove:2`) instead of saving. */
function BuilderButton(props: { action: string; label: string; disabled?: boolean; children: Child }) {
  return (
    <button
      type="submit"
      name="action"
      value={props.action}
      class="secondary"
      disabled={props.disabled}
      aria-label={props.label}
    >
      {props.children}
    </button>
  );
}

/** The template as a note or form will show it: the complete fields, and which are not yet. */
export function FieldsPreview(props: { fields: TemplateField[]; incomplete: number[] }) {
  return (
    <div id="preview" class="builder-preview stack" aria-live="polite">
      {props.fields.length === 0 ? <p class="muted">Add a field to see it here.</p> : null}
      {props.fields.map((f) => (
        <FieldInput field={f} value={undefined} />
      ))}
      {props.incomplete.length ? (
        <p class="muted">
          Not shown until complete: field{props.incomplete.length > 1 ? 's' : ''}{' '}
          {props.incomplete.map((i) => i + 1).join(', ')}.
        </p>
      ) : null}
    </div>
  );
}
