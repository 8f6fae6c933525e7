import { CheckField, choices, SelectField } from '../../../components/fields.tsx';
import { Csrf, PostButton } from '../../../components/form.tsx';
import { Alert, Notice } from '../../../components/notice.tsx';
import { DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/**
 * Admin › Import: CSV exports of another system (patients or future appointments). Upload →
 * the mapping form (prefilled from the recognised columns) with a preview of the first rows and
 * the dry run's counts → Import, run by a job whose progress the page polls → the rejected rows
 * as CSV with the reason for each.
 */

export interface ImportListRow {
  id: string;
  kind: string;
  fileName: string;
  status: string;
  created: string;
  counts: string;
}

const styles = <link rel="stylesheet" href="/static/import.css" />;

/** The upload form: what the file holds, and the file (sent by htmx with the CSRF header: streamed). */
export function UploadForm(props: { csrf: string; error?: string | undefined; kind?: string }) {
  return (
    <form
      id="import-upload"
      method="post"
      action="/staff/admin/import"
      enctype="multipart/form-data"
      class="stack"
      aria-label="Upload a CSV file"
      hx-post="/staff/admin/import"
      hx-encoding="multipart/form-data"
      hx-headers={JSON.stringify({ 'X-CSRF-Token': props.csrf })}
      hx-target="this"
      hx-swap="outerHTML"
    >
      <Csrf token={props.csrf} />
      <Alert error={props.error} />
      <SelectField
        name="kind"
        label="The file holds"
        options={choices({ patients: 'Patients', appointments: 'Future appointments' })}
        selected={props.kind ?? 'patients'}
      />
      <div class="field">
        <label for="f-file">CSV file (up to 20 MB)</label>
        <input id="f-file" type="file" name="file" accept=".csv,text/csv" required />
      </div>
      <p class="muted">
        Exports of Cliniko and Jane are recognised, as is the generic template (first_name, last_name,
        date_of_birth, email, phone, address, sex — or for appointments email, practitioner, service, start).
        Nothing is imported before you have checked the columns and the preview.
      </p>
      <button type="submit">Upload and check</button>
    </form>
  );
}

export function ImportsPage(props: {
  nav: StaffNavProps;
  rows: ImportListRow[];
  error?: string | undefined;
}) {
  return (
    <StaffLayout title="Import" nav={props.nav}>
      {styles}
      <p>
        <a href="/staff/admin">Admin</a> › Import
      </p>
      <UploadForm csrf={props.nav.csrf} error={props.error} />
      <h2>Recent imports</h2>
      <DataTable
        scroll
        rows={props.rows}
        caption="Recent imports"
        empty={<p class="muted">None yet.</p>}
        columns={[
          { head: 'File', cell: (r) => <a href={`/staff/admin/import/${r.id}`}>{r.fileName}</a> },
          { head: 'Holds', cell: (r) => r.kind },
          { head: 'Status', cell: (r) => r.status },
          { head: 'Uploaded', cell: (r) => r.created },
          { head: 'Rows', cell: (r) => r.counts },
        ]}
      />
    </StaffLayout>
  );
}

export interface MappingFieldView {
  name: string;
  label: string;
  many: boolean;
  /** The headers chosen for it. */
  chosen: string[];
}

export interface PreviewRowView {
  line: number;
  values: string[];
  outcome: 'new' | 'on-file' | 'duplicate' | 'rejected';
  says: string;
}

export interface ImportPageView {
  id: string;
  kind: string;
  fileName: string;
  source: string;
  status: string;
  totalRows: number;
  header: string[];
  fields: MappingFieldView[];
  dateFormat: string;
  notify: boolean;
  missing: string;
  previewHeads: string[];
  preview: PreviewRowView[];
  summary: { total: number; imported: number; onFile: number; rejected: number } | null;
  progress: ImportProgressView;
  error?: string | undefined;
  notice?: string | undefined;
}

export interface ImportProgressView {
  id: string;
  status: string;
  totalRows: number;
  nextRow: number;
  imported: number;
  onFile: number;
  rejected: number;
  hasRejectedFile: boolean;
  finished: string;
  error: string;
}

const importLabel = (kind: string, n: number) =>
  `Import ${n} ${kind === 'patients' ? (n === 1 ? 'patient' : 'patients') : n === 1 ? 'appointment' : 'appointments'}`;

const sourceNames: Record<string, string> = {
  cliniko: 'a Cliniko export',
  jane: 'a Jane export',
  generic: 'the generic template (or another system’s export)',
};

const dateFormatOptions = [
  { id: 'auto', name: 'By the clinic’s locale' },
  { id: 'dmy', name: 'Day first (31/12/1980)' },
  { id: 'mdy', name: 'Month first (12/31/1980)' },
  { id: 'ymd', name: 'Year first only (1980-12-31)' },
];

/** The job's progress: polled every 2 s while it runs; the summary and the rejected rows once done. */
export function ImportProgress(props: { view: ImportProgressView }) {
  const v = props.view;
  const running = v.status === 'queued' || v.status === 'running';
  const poll = running
    ? { 'hx-get': `/staff/admin/import/${v.id}/progress`, 'hx-trigger': 'every 2s', 'hx-swap': 'outerHTML' }
    : {};
  return (
    <section id="import-progress" aria-labelledby="h-progress" aria-live="polite" {...poll}>
      <h2 id="h-progress">{running ? 'Importing…' : v.status === 'done' ? 'Imported' : 'Import failed'}</h2>
      {running ? (
        <>
          <progress max={v.totalRows || 1} value={v.nextRow}>
            {v.nextRow} of {v.totalRows}
          </progress>
          <p>
            {v.status === 'queued' ? 'Waiting for the worker… ' : ''}
            {v.nextRow} of {v.totalRows} rows done: {v.imported} imported, {v.onFile} already on file,{' '}
            {v.rejected} rejected. You may leave this page: the import goes on, and after a restart it
            continues from the last whole batch.
          </p>
        </>
      ) : (
        <p class={v.status === 'done' ? 'notice' : 'error'} role="status">
          {v.status === 'done'
            ? `${v.totalRows} rows: ${v.imported} imported, ${v.onFile} already on file (skipped), ${v.rejected} rejected. Finished ${v.finished}. The uploaded file has been removed.`
            : `The import stopped: ${v.error || 'an error'}. Rows written stay (whole batches); upload the file again to complete it — rows already there are skipped.`}
        </p>
      )}
      {v.hasRejectedFile ? (
        <p>
          <a href={`/staff/admin/import/${v.id}/rejected.csv`} download>
            Download the rejected rows (CSV, with the reason for each)
          </a>{' '}
          <span class="muted">— kept 7 days.</span>
        </p>
      ) : null}
    </section>
  );
}

export function ImportPage(props: { nav: StaffNavProps; view: ImportPageView }) {
  const v = props.view;
  const csrf = props.nav.csrf;
  const options = [{ id: '', name: '— none —' }, ...v.header.map((h) => ({ id: h, name: h }))];
  return (
    <StaffLayout title={`Import: ${v.fileName}`} nav={props.nav}>
      {styles}
      <p>
        <a href="/staff/admin">Admin</a> › <a href="/staff/admin/import">Import</a> › {v.fileName}
      </p>
      <Notice text={v.notice} />
      <Alert error={v.error} />
      <p>
        {v.kind === 'patients' ? 'Patients' : 'Future appointments'}: {v.totalRows} rows. The columns look
        like {sourceNames[v.source] ?? v.source}.
      </p>
      {v.status === 'uploaded' ? (
        <>
          <form
            method="post"
            action={`/staff/admin/import/${v.id}/mapping`}
            class="stack mapping-form"
            aria-label="Columns"
          >
            <Csrf token={csrf} />
            <h2>Columns</h2>
            <p class="muted">
              Which column of the file holds each field (prefilled from what was recognised).
            </p>
            <div class="mapping-grid">
              {v.fields.map((f) =>
                f.many ? (
                  <div class="field">
                    <label for={`f-map-${f.name}`}>{f.label}</label>
                    <select id={`f-map-${f.name}`} name={`map.${f.name}`} multiple size={4}>
                      {v.header.map((h) => (
                        <option value={h} selected={f.chosen.includes(h)}>
                          {h}
                        </option>
                      ))}
                    </select>
                    <p class="muted small">
                      Several columns: {f.name === 'address' ? 'joined as lines' : 'the first filled one'}.
                    </p>
                  </div>
                ) : (
                  <SelectField
                    id={`f-map-${f.name}`}
                    name={`map.${f.name}`}
                    label={f.label}
                    options={options}
                    selected={f.chosen[0] ?? ''}
                  />
                ),
              )}
            </div>
            <SelectField
              name="dateFormat"
              label="Dates written as"
              options={dateFormatOptions}
              selected={v.dateFormat}
            />
            {v.kind === 'appointments' ? (
              <CheckField
                name="notify"
                label="Send each patient the booking confirmation and reminders"
                checked={v.notify}
              />
            ) : null}
            <button type="submit" class="secondary">
              Save and preview again
            </button>
          </form>
          <h2 id="h-preview">Preview</h2>
          {v.missing ? (
            <p class="error" role="alert">
              Choose a column for {v.missing}.
            </p>
          ) : (
            <>
              {v.summary ? (
                <p class="notice" role="status" id="dry-run">
                  Dry run (nothing written yet): {v.summary.total} rows — {v.summary.imported} would be
                  imported, {v.summary.onFile} already on file (skipped), {v.summary.rejected} rejected.
                </p>
              ) : null}
              <DataTable
                scroll
                rows={v.preview}
                caption={`The first ${v.preview.length} rows`}
                showCaption
                class="import-preview"
                rowAttributes={(r) => ({ 'data-outcome': r.outcome })}
                columns={[
                  { head: 'Line', cell: (r) => r.line },
                  // The outcome before the values: on a phone it shows without scrolling.
                  { head: 'Outcome', cell: (r) => r.says, class: () => 'outcome' },
                  ...v.previewHeads.map((h, i) => ({
                    head: h,
                    cell: (r: PreviewRowView) => r.values[i] ?? '',
                  })),
                ]}
              />
              <div class="actions">
                <PostButton
                  action={`/staff/admin/import/${v.id}/run`}
                  csrf={csrf}
                  label={importLabel(v.kind, v.summary?.imported ?? 0)}
                  formLabel="Run the import"
                />
              </div>
            </>
          )}
          <PostButton
            action={`/staff/admin/import/${v.id}/discard`}
            csrf={csrf}
            label="Discard this upload"
            kind="secondary"
            formLabel="Discard the upload"
          />
        </>
      ) : v.status === 'discarded' ? (
        <p class="muted">This upload was discarded; its file has been removed.</p>
      ) : (
        <ImportProgress view={v.progress} />
      )}
    </StaffLayout>
  );
}
