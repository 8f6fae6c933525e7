import { CheckField } from '../../components/fields.tsx';
import { Notice } from '../../components/notice.tsx';
import { Section } from '../../components/section.tsx';
import { DocumentFields } from '../../partials/documents-fields.tsx';
import {
  type CategoryChoice,
  type DocumentRowView,
  type DocumentsFilter,
  DocumentsList,
} from '../../partials/documents-list.tsx';

/** The chart's documents section: the list, and what the member may upload. */
export interface DocumentsSectionView {
  patientId: string;
  rows: DocumentRowView[];
  filter: DocumentsFilter;
  /** The categories the member may see (the filter's choices). */
  categories: CategoryChoice[];
  /** The categories the member may upload into; none: no upload form. */
  uploadCategories: CategoryChoice[];
  /** The patient's appointments a document may belong to, newest first. */
  appointments: CategoryChoice[];
  /** The clinic's upload limit per file. */
  maxUploadMb: number;
  /** Today in the clinic's zone (the date field's default). */
  today: string;
  /** What the section says after an action (a document deleted). */
  notice?: string | undefined;
}

/** The script that sends the files: drag and drop or the picker, one progress bar per file. */
export const documentsScript = '/static/documents.js';

/**
 * Documents on the patient's chart. The upload form takes several files (dropped on it or
 * picked), one category, date, appointment and sharing for all of them, and a title each (the
 * file's name until changed); static/documents.js sends them one by one with a progress bar
 * each, streamed to `POST /staff/patients/:id/documents`, then reloads the list.
 */
export function DocumentsSection(props: { documents: DocumentsSectionView; csrf: string }) {
  const d = props.documents;
  return (
    <Section id="documents" title="Documents">
      <link rel="stylesheet" href="/static/documents.css" />
      <Notice text={d.notice} />
      {d.uploadCategories.length ? <UploadForm documents={d} csrf={props.csrf} /> : null}
      <DocumentsList patientId={d.patientId} rows={d.rows} filter={d.filter} categories={d.categories} />
    </Section>
  );
}

function UploadForm(props: { documents: DocumentsSectionView; csrf: string }) {
  const d = props.documents;
  const action = `/staff/patients/${d.patientId}/documents`;
  return (
    <form
      method="post"
      action={action}
      enctype="multipart/form-data"
      class="upload stack"
      aria-label="Add documents"
      data-documents-upload
      data-csrf={props.csrf}
      data-max-bytes={String(d.maxUploadMb * 1024 * 1024)}
      data-list={`/staff/patients/${d.patientId}/documents`}
    >
      <div class="dropzone" data-dropzone>
        <label for="documents-files">
          <span class="drop">Drop files here, or</span> <span class="pick">Choose files</span>
        </label>
        <input
          id="documents-files"
          class="visually-hidden"
          type="file"
          name="file"
          multiple
          accept="application/pdf,image/jpeg,image/png,image/heic,image/heif,image/webp,image/tiff,.docx,.xlsx,.txt,.csv"
          aria-describedby="documents-files-hint"
        />
        <small id="documents-files-hint" class="muted">
          PDF, images (JPEG, PNG, HEIC, WebP, TIFF), Word, Excel, text or CSV; up to {d.maxUploadMb} MB each.
        </small>
      </div>
      <ol class="upload-queue" data-queue aria-label="Files to add" hidden />
      <div class="upload-fields">
        <DocumentFields
          form="upload"
          categories={d.uploadCategories}
          appointments={d.appointments}
          values={{ category: '', documentDate: d.today, appointmentId: '' }}
          maxDate={d.today}
        />
        <CheckField name="sharedWithPatient" value="true" label="Share with the patient" checked={false} />
      </div>
      <p class="error" role="alert" data-upload-error hidden />
      <p role="status" class="notice" data-upload-status hidden />
      <div>
        <button type="submit" data-upload-button>
          Add documents
        </button>
      </div>
      <noscript>
        <p class="muted">
          Adding documents needs JavaScript (the files are sent one by one, with their progress).
        </p>
      </noscript>
    </form>
  );
}
