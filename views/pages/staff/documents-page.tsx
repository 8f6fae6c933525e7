import { Fact } from '../../components/facts.tsx';
import { Field, FieldError } from '../../components/fields.tsx';
import { Form, PostButton } from '../../components/form.tsx';
import { Notice } from '../../components/notice.tsx';
import { Section } from '../../components/section.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';
import { DocumentFields } from '../../partials/documents-fields.tsx';
import type { CategoryChoice, DocumentRowView } from '../../partials/documents-list.tsx';

/** One document with what its page says about it besides the list's card. */
export interface DocumentDetailView extends DocumentRowView {
  patientId: string;
  patientName: string;
  /** The sniffed type, as stored (application/pdf). */
  contentType: string;
  /** "3 Dec 2026, 14:05 by Dr Ada Byron" (or "by the patient"). */
  added: string;
  appointmentId: string;
  /** The appointment it belongs to, as staff read it ('' for none). */
  appointmentLabel: string;
  /** When a patient's upload was reviewed, and by whom ('' while it waits). */
  reviewed: string;
}

/** What a change form shows again when it was refused: what was typed, and what is wrong. */
export interface DocumentEdit {
  title: string;
  category: string;
  documentDate: string;
  appointmentId: string;
  errors: Record<string, string>;
}

/**
 * A document on the chart: its preview (a PDF in a frame, an image; the bytes come from the
 * content route under its own locked-down policy), its download, and — for members who may
 * change it — rename and re-categorise, sharing with the patient, marking a patient's upload
 * reviewed, and deleting it with a reason (a soft delete; purged after the retention period).
 */
export function DocumentPage(props: {
  nav: StaffNavProps;
  document: DocumentDetailView;
  /** The categories it may be moved to (the member's). */
  categories: CategoryChoice[];
  appointments: CategoryChoice[];
  canChange: boolean;
  notice?: string | undefined;
  /** A refused change, shown again. */
  edit?: DocumentEdit | undefined;
  /** A refused delete's message. */
  deleteError?: string | undefined;
  retentionDays: number;
}) {
  const d = props.document;
  const base = `/staff/patients/${d.patientId}/documents/${d.id}`;
  const csrf = props.nav.csrf;
  return (
    <StaffLayout title={d.title} nav={props.nav}>
      <link rel="stylesheet" href="/static/documents.css" />
      <p>
        <a href={`/staff/patients/${d.patientId}#documents`}>← {d.patientName}’s documents</a>
      </p>
      <Notice text={props.notice} />
      <div class="document-layout">
        <div class="document-preview">
          <Preview document={d} />
          <p class="actions">
            <a class="button" href={d.contentHref} download={d.fileName}>
              Download
            </a>
            {d.preview === 'none' ? null : (
              <a href={d.contentHref} target="_blank" rel="noopener">
                Open in a new tab
              </a>
            )}
          </p>
        </div>
        <div class="document-side">
          <DocumentFacts document={d} />
          {props.canChange ? <DocumentActions document={d} base={base} csrf={csrf} /> : null}
        </div>
      </div>
      {props.canChange ? (
        <div class="document-forms">
          <EditForm
            action={base}
            csrf={csrf}
            categories={props.categories}
            appointments={props.appointments}
            edit={
              props.edit ?? {
                title: d.title,
                category: d.category,
                documentDate: d.documentDate,
                appointmentId: d.appointmentId,
                errors: {},
              }
            }
          />
          <DeleteForm
            action={`${base}/delete`}
            csrf={csrf}
            error={props.deleteError}
            retentionDays={props.retentionDays}
          />
        </div>
      ) : null}
    </StaffLayout>
  );
}

/** What is known about the document: category, date, file, who added it, appointment, the patient's view. */
function DocumentFacts(props: { document: DocumentDetailView }) {
  const d = props.document;
  return (
    <dl class="facts">
      <Fact term="Category">{d.categoryLabel}</Fact>
      <Fact term="Date">{d.dateShown}</Fact>
      <Fact term="File">
        {d.fileName} ({d.size})
      </Fact>
      <Fact term="Added">{d.added}</Fact>
      <Fact term="Appointment">{d.appointmentLabel || '—'}</Fact>
      <Fact term="The patient">
        {d.source === 'patient'
          ? 'sent it from the app'
          : d.sharedWithPatient
            ? 'sees it in the app'
            : 'does not see it'}
      </Fact>
      {d.source === 'patient' ? <Fact term="Reviewed">{d.reviewed || 'not yet'}</Fact> : null}
    </dl>
  );
}

/** Mark a patient's upload reviewed; share a staff document with the patient, or stop. */
function DocumentActions(props: { document: DocumentDetailView; base: string; csrf: string }) {
  const { document: d, base, csrf } = props;
  return (
    <div class="actions">
      {d.toReview ? <PostButton action={`${base}/reviewed`} csrf={csrf} label="Mark reviewed" /> : null}
      {d.source === 'patient' ? null : (
        <PostButton
          action={`${base}/share`}
          csrf={csrf}
          label={d.sharedWithPatient ? 'Stop sharing with the patient' : 'Share with the patient'}
          kind="secondary"
          fields={{ shared: d.sharedWithPatient ? 'false' : 'true' }}
        />
      )}
    </div>
  );
}

/** Delete with a reason (kept with the row); the file itself is destroyed after the retention period. */
function DeleteForm(props: {
  action: string;
  csrf: string;
  error: string | undefined;
  retentionDays: number;
}) {
  return (
    <Section id="h-delete" title="Delete">
      <Form action={props.action} csrf={props.csrf} label="Delete the document" error={props.error}>
        <p class="muted">
          It leaves the chart and the patient’s app at once; the file is destroyed after {props.retentionDays}{' '}
          days.
        </p>
        <div class="field">
          <label for="delete-reason">Why it is deleted</label>
          <textarea
            id="delete-reason"
            name="reason"
            rows={2}
            maxlength={500}
            required
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={props.error ? 'delete-reason-error' : undefined}
          />
          <FieldError id="delete-reason" text={props.error} />
        </div>
        <div>
          <button type="submit" class="danger">
            Delete the document
          </button>
        </div>
      </Form>
    </Section>
  );
}

/**
 * No `sandbox` attribute on the frame: Chromium refuses to show a PDF in a sandboxed frame. The
 * content route's own policy (`default-src 'none'; sandbox`) locks the document down instead.
 */
function Preview(props: { document: DocumentDetailView }) {
  const d = props.document;
  if (d.preview === 'pdf') return <iframe class="pdf" src={d.contentHref} title={`Preview of ${d.title}`} />;
  if (d.preview === 'image') return <img class="image" src={d.contentHref} alt={`Preview of ${d.title}`} />;
  return (
    <p class="no-preview muted">
      The browser cannot show this kind of file ({d.contentType}): download it to open it.
    </p>
  );
}

function EditForm(props: {
  action: string;
  csrf: string;
  categories: CategoryChoice[];
  appointments: CategoryChoice[];
  edit: DocumentEdit;
}) {
  const { edit } = props;
  return (
    <Section id="h-edit" title="Rename or re-categorise">
      <Form action={props.action} csrf={props.csrf} label="Change the document" error={edit.errors.form}>
        <Field
          name="title"
          id="edit-title"
          label="Title"
          value={edit.title}
          maxlength={200}
          error={edit.errors.title}
        />
        <DocumentFields
          form="edit"
          categories={props.categories}
          appointments={props.appointments}
          values={edit}
          errors={edit.errors}
        />
        <div>
          <button type="submit">Save changes</button>
        </div>
      </Form>
    </Section>
  );
}
