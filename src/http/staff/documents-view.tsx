/**
 * What the staff documents pages show, from the domain's rows: the chart's section and its list,
 * the Inbox's documents to review, a document's page; dates in the clinic's zone and locale.
 */
import type { Context } from 'hono';
import { DateTime } from 'luxon';
import { type DocumentEdit, DocumentPage } from '../../../views/pages/staff/documents-page.tsx';
import type { DocumentsSectionView } from '../../../views/pages/staff/documents-section.tsx';
import type { DocumentRowView, DocumentsFilter } from '../../../views/partials/documents-list.tsx';
import type { DocumentToReview } from '../../../views/partials/documents-review.tsx';
import { can } from '../../domain/accounts/index.ts';
import {
  categoriesFor,
  categoryLabels,
  type DocumentCategory,
  type DocumentRow,
} from '../../domain/documents/index.ts';
import { notFound } from '../../lib/errors.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { appointmentChoices } from './appointment-choices.ts';
import { clinicDateTime } from './clinic-time.ts';

/** What the document's page says after an action. */
export const documentNotices: Record<string, string> = {
  saved: 'The changes are saved.',
  shared: 'The patient can now see it in the app; they were told it is there.',
  unshared: 'The patient no longer sees it.',
  reviewed: 'Marked reviewed: it has left the Inbox.',
};

/** Where a document's bytes are served (inline for PDFs and images, under a locked-down policy). */
const contentHref = (id: string) => `/api/v1/documents/${id}/content`;

/** Types the browser shows by itself: PDFs in a frame, these images in an `<img>` (not HEIC or TIFF). */
const previewOf = (contentType: string): DocumentRowView['preview'] =>
  contentType === 'application/pdf'
    ? 'pdf'
    : ['image/jpeg', 'image/png', 'image/webp', 'image/gif'].includes(contentType)
      ? 'image'
      : 'none';

const sizeText = (bytes: number) =>
  bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

const labelOf = (category: string) => categoryLabels[category as DocumentCategory] ?? category;

const choices = (categories: readonly DocumentCategory[]) =>
  categories.map((c) => ({ id: c, name: categoryLabels[c] }));

/** A document as its card in the list shows it (its date in the clinic's `locale`). */
export function documentRowView(d: DocumentRow, locale: string): DocumentRowView {
  return {
    id: d.id,
    title: d.title,
    category: d.category,
    categoryLabel: labelOf(d.category),
    documentDate: d.documentDate,
    dateShown: DateTime.fromISO(d.documentDate).setLocale(locale).toFormat('d LLL yyyy'),
    fileName: d.fileName,
    preview: previewOf(d.contentType),
    size: sizeText(d.size),
    source: d.source === 'patient' ? 'patient' : 'staff',
    sharedWithPatient: d.sharedWithPatient,
    toReview: d.source === 'patient' && !d.reviewedAt,
    href: `/staff/patients/${d.patientId}/documents/${d.id}`,
    contentHref: contentHref(d.id),
  };
}

/** The list's filters from the query ('' = any; the domain ignores what is not a date or category). */
const filterOf = (c: Context<AppEnv>): DocumentsFilter => ({
  category: (c.req.query('category') ?? '').slice(0, 40),
  from: (c.req.query('from') ?? '').slice(0, 10),
  to: (c.req.query('to') ?? '').slice(0, 10),
});

const roleOf = (c: Context<AppEnv>) => c.get('staff')!.account.role;

/**
 * The chart's documents section for the signed-in member (the list read is audited by the
 * domain), filtered by the chart's query. Undefined when the member may read no document.
 */
export async function documentsSection(
  deps: HttpDeps,
  c: Context<AppEnv>,
  patientId: string,
): Promise<DocumentsSectionView | undefined> {
  const role = roleOf(c);
  const readable = categoriesFor(role, 'read');
  if (!readable.length) return undefined;
  const filter = filterOf(c);
  const uploadCategories = choices(categoriesFor(role, 'write'));
  const clinic = await deps.clinic.get();
  const [rows, appointments] = await Promise.all([
    deps.documents.list(actorOf(c), patientId, filter),
    uploadCategories.length ? appointmentChoices(deps, c, patientId, clinic, { daysAhead: 7 }) : [],
  ]);
  return {
    patientId,
    rows: rows.map((d) => documentRowView(d, clinic.locale)),
    filter,
    categories: choices(readable),
    uploadCategories,
    appointments,
    maxUploadMb: deps.config.maxUploadMb,
    today: DateTime.fromJSDate(deps.clock.now(), { zone: clinic.timeZone }).toISODate()!,
    notice:
      c.req.query('documents') === 'deleted'
        ? `The document was deleted. Its file is destroyed after ${deps.config.documentRetentionDays} days.`
        : undefined,
  };
}

/** The Inbox's patients' uploads waiting for review (undefined: the member may not read documents). */
export async function documentsToReview(
  deps: HttpDeps,
  c: Context<AppEnv>,
  timeZone: string,
): Promise<DocumentToReview[] | undefined> {
  if (!categoriesFor(roleOf(c), 'read').length) return undefined;
  // Each with its patient's name, read by the domain in one query for all of them.
  const waiting = await deps.documents.listToReview(actorOf(c));
  return waiting.map((d) => ({
    id: d.id,
    patientId: d.patientId,
    patient: `${d.patient.firstName} ${d.patient.lastName}`,
    title: d.title,
    categoryLabel: labelOf(d.category),
    received: clinicDateTime(d.createdAt, timeZone),
    href: `/staff/patients/${d.patientId}/documents/${d.id}`,
  }));
}

/** The clinic's settings the pages read (time zone, locale). */
/** A document's page (its read audited by the domain); a refused change shows again with what was typed. */
export async function documentPage(
  deps: HttpDeps,
  kit: RouteKit,
  c: Context<AppEnv>,
  extra: { notice?: string | undefined; status?: number; edit?: DocumentEdit; deleteError?: string },
) {
  const { id, docId } = c.req.param() as { id: string; docId: string };
  const actor = actorOf(c);
  const [doc, patient, clinic, members] = await Promise.all([
    deps.documents.get(actor, docId),
    deps.patients.get(actor, id),
    deps.clinic.get(),
    deps.staff.accounts.list(),
  ]);
  if (doc.patientId !== patient.id) throw notFound('that_document');
  const role = roleOf(c);
  const writable = categoriesFor(role, 'write');
  const canChange = can(role, 'patients.write') && writable.includes(doc.category as DocumentCategory);
  // The patient's recent appointments to choose from; for a reader, only the one it names.
  const appointments =
    canChange || doc.appointmentId
      ? await appointmentChoices(deps, c, patient.id, clinic, { daysAhead: 7, keep: doc.appointmentId })
      : [];
  const at = (d: Date) =>
    DateTime.fromJSDate(d, { zone: clinic.timeZone }).setLocale(clinic.locale).toFormat('d LLL yyyy, HH:mm');
  const uploader = members.find((m) => m.id === doc.uploadedBy)?.name ?? 'staff';
  return c.html(
    DocumentPage({
      nav: kit.nav(c),
      document: {
        ...documentRowView(doc, clinic.locale),
        patientId: patient.id,
        patientName: `${patient.firstName} ${patient.lastName}`,
        contentType: doc.contentType,
        added: `${at(doc.createdAt)}, ${doc.source === 'patient' ? 'by the patient' : `by ${uploader}`}`,
        appointmentId: doc.appointmentId ?? '',
        appointmentLabel: appointments.find((a) => a.id === doc.appointmentId)?.name ?? '',
        reviewed: doc.reviewedAt ? at(doc.reviewedAt) : '',
      },
      categories: choices(writable),
      appointments,
      canChange,
      notice: extra.notice,
      edit: extra.edit,
      deleteError: extra.deleteError,
      retentionDays: deps.config.documentRetentionDays,
    }),
    (extra.status ?? 200) as 200,
  );
}
