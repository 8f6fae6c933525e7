import { DateRangeFields, SelectField } from '../components/fields.tsx';

/** A document on a patient's chart, as the staff pages show it. */
export interface DocumentRowView {
  id: string;
  title: string;
  /** The category's value (`lab-result`) and how it reads (`Lab result`). */
  category: string;
  categoryLabel: string;
  /** The document's own date, YYYY-MM-DD, and as staff read it ("3 Dec 2026"). */
  documentDate: string;
  dateShown: string;
  fileName: string;
  /** What the browser can show: a PDF in a frame, an image, or nothing (download only). */
  preview: 'pdf' | 'image' | 'none';
  /** "240 KB". */
  size: string;
  /** Who put it on the chart. */
  source: 'staff' | 'patient';
  sharedWithPatient: boolean;
  /** A patient's upload nobody has reviewed yet. */
  toReview: boolean;
  /** The document's page on the chart (preview, changes). */
  href: string;
  /** Its bytes (inline for PDFs and images, an attachment otherwise). */
  contentHref: string;
}

/** A category as a choice: its value and how it reads. */
export interface CategoryChoice {
  id: string;
  name: string;
}

/** The list's filters as the member set them ('' = any). */
export interface DocumentsFilter {
  category: string;
  from: string;
  to: string;
}

/**
 * The chart's documents: the filters (a GET form: without script it reloads the chart, with
 * htmx it replaces only this list) and one card per document — title, category, date, where it
 * came from, whether the patient sees it — with its page and its download.
 */
export function DocumentsList(props: {
  patientId: string;
  rows: DocumentRowView[];
  filter: DocumentsFilter;
  categories: CategoryChoice[];
}) {
  const { filter } = props;
  const filtered = Boolean(filter.category || filter.from || filter.to);
  return (
    <div id="documents-list" class="documents-list">
      <form
        method="get"
        action={`/staff/patients/${props.patientId}#documents`}
        class="filters"
        aria-label="Filter the documents"
        hx-get={`/staff/patients/${props.patientId}/documents`}
        hx-target="#documents-list"
        hx-swap="outerHTML"
      >
        <SelectField
          name="category"
          id="documents-category"
          label="Category"
          options={props.categories}
          selected={filter.category}
          blank="Any"
        />
        <DateRangeFields idPrefix="documents" from={filter.from} to={filter.to} />
        <button type="submit" class="secondary">
          Filter
        </button>
        {filtered ? (
          <a
            href={`/staff/patients/${props.patientId}#documents`}
            hx-get={`/staff/patients/${props.patientId}/documents`}
            hx-target="#documents-list"
            hx-swap="outerHTML"
          >
            Show all
          </a>
        ) : null}
      </form>
      {props.rows.length === 0 ? (
        <p class="muted">{filtered ? 'No document matches these filters.' : 'No document is on file yet.'}</p>
      ) : (
        <ul class="documents" aria-label="Documents, newest first">
          {props.rows.map((d) => (
            <DocumentCard document={d} />
          ))}
        </ul>
      )}
    </div>
  );
}

function DocumentCard(props: { document: DocumentRowView }) {
  const d = props.document;
  return (
    <li class="document" data-document-id={d.id}>
      <a class="document-title" href={d.href}>
        {d.title}
      </a>
      <span class="muted document-file">
        {d.fileName} · {d.size}
      </span>
      <span class="document-tags">
        <span class="tag">{d.categoryLabel}</span> <span>{d.dateShown}</span>
        {d.source === 'patient' ? <span class="tag from-patient">From the patient</span> : null}
        {d.toReview ? <span class="tag to-review">To review</span> : null}
        {d.sharedWithPatient ? <span class="tag shared">Shared with the patient</span> : null}
      </span>
      <span class="document-actions">
        <a href={d.href}>
          {d.preview === 'none' ? 'Open' : 'Preview'} <span class="visually-hidden">{d.title}</span>
        </a>
        <a href={d.contentHref} download={d.fileName}>
          Download <span class="visually-hidden">{d.title}</span>
        </a>
      </span>
    </li>
  );
}
