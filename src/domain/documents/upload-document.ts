import type { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import { AppError, fieldIssue, notFound, validated, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientById } from '../patients/index.ts';
import { recordChange } from '../record-change.ts';
import type { DocumentsDeps } from './documents.deps.ts';
import { assertMay, staffRoleOf } from './documents.policy.ts';
import { countWaitingUploads, type DocumentRow, insertDocument } from './documents.repo.ts';
import { type DocumentCategory, ownUploadFields, uploadFields } from './documents.schema.ts';
import { refusedPatient, scopeOf } from './patient-scope.ts';
import { tellPatientShared } from './share-document.ts';
import { sniffUpload, titleFromName } from './sniff-type.ts';

/** An upload as it arrives: the file's bytes (streamed), the name it came with, the form's fields. */
export interface UploadInput {
  file: Readable;
  fileName: string;
  fields: Record<string, unknown>;
}

/**
 * Staff put a file on a patient's chart. The fields are checked first (the category against the
 * member's role, the appointment against the patient), then the file streams in: its type is
 * sniffed against the allow-list (415), it is encrypted and stored, counted against the limit
 * (413) — and only once the object is durably stored is the row written, with its audit row and,
 * when shared, the patient's notification, in one transaction. A failure at any step leaves no
 * document (the object is removed, or swept later if the process dies first).
 */
export async function uploadDocument(
  deps: DocumentsDeps,
  actor: Actor,
  patientId: string,
  input: UploadInput,
): Promise<DocumentRow> {
  const role = await staffRoleOf(deps.db, actor);
  const fields = validated(uploadFields, input.fields);
  assertMay(role, 'write', fields.category);
  if (!(await findPatientById(deps.db.reader, patientId))) throw notFound('that_patient');
  if (fields.appointmentId) {
    const found = await deps.appointments.forNotification(fields.appointmentId);
    if (found?.appointment.patientId !== patientId)
      throw validationFailed([fieldIssue('appointmentId', 'Choose an appointment of this patient.')]);
  }
  return storeDocument(deps, actor, input, {
    patientId,
    category: fields.category,
    title: fields.title,
    documentDate: fields.documentDate,
    appointmentId: fields.appointmentId ?? null,
    shared: fields.sharedWithPatient ?? false,
    source: 'staff',
  });
}

/** How many of a patient's uploads may wait for staff review at once (storage is not theirs to fill). */
export const MAX_WAITING_UPLOADS = 20;

/**
 * A patient uploads a file to their own record (a photo, a letter), or a guardian to a
 * dependant's (the `patientId` field; anyone outside their family is refused 404 and audited);
 * it waits for staff review. At most MAX_WAITING_UPLOADS wait per record at once (429
 * `too_many_uploads`; checked before the file is read, so two uploads at the very same moment may
 * pass together).
 */
export async function uploadOwnDocument(
  deps: DocumentsDeps,
  actor: Actor & { id: string },
  input: UploadInput,
): Promise<DocumentRow> {
  const fields = validated(ownUploadFields, input.fields);
  const patientId = fields.patientId ?? actor.id;
  if (!(await scopeOf(deps, actor)).has(patientId)) throw await refusedPatient(deps, actor, patientId);
  const waiting = await countWaitingUploads(deps.db.reader, patientId);
  if (waiting >= MAX_WAITING_UPLOADS) {
    throw new AppError(
      'too_many_uploads',
      { key: 'too_many_waiting_uploads', params: { count: waiting } },
      { status: 429 },
    );
  }
  return storeDocument(deps, actor, input, {
    patientId,
    category: fields.category,
    title: fields.title,
    documentDate: undefined,
    appointmentId: null,
    shared: false,
    source: 'patient',
  });
}

interface NewDocument {
  patientId: string;
  category: DocumentCategory;
  title: string | undefined;
  documentDate: string | undefined;
  appointmentId: string | null;
  shared: boolean;
  source: 'staff' | 'patient';
}

async function storeDocument(
  deps: DocumentsDeps,
  actor: Actor,
  input: UploadInput,
  doc: NewDocument,
): Promise<DocumentRow> {
  const sniffed = await sniffUpload(input.file, input.fileName);
  const id = newId();
  const stored = await deps.files.write(sniffed.body, {
    keyHint: `documents/${doc.patientId}/${id}`,
    maxBytes: deps.maxBytes,
  });
  const now = deps.clock.now();
  const today = async () =>
    DateTime.fromJSDate(now, { zone: (await deps.clinic.get()).timeZone }).toISODate()!;
  try {
    const documentDate = doc.documentDate ?? (await today());
    return await deps.db.tx(async (ctx) => {
      const row = await insertDocument(ctx, {
        id,
        patientId: doc.patientId,
        category: doc.category,
        title: doc.title || titleFromName(sniffed.fileName),
        fileName: sniffed.fileName,
        contentType: sniffed.contentType,
        size: stored.size,
        sha256: stored.sha256,
        objectKey: stored.objectKey,
        wrappedKey: stored.wrappedKey,
        documentDate,
        appointmentId: doc.appointmentId,
        sharedWithPatient: doc.shared,
        sharedAt: doc.shared ? now : null,
        source: doc.source,
        uploadedBy: doc.source === 'staff' && actor.type === 'staff' ? actor.id : null,
        createdAt: now,
        updatedAt: now,
      });
      await recordChange(deps.audit, ctx, actor, 'document.upload', row, {
        category: doc.category,
        size: stored.size,
        shared: doc.shared,
      });
      if (doc.shared) await tellPatientShared(deps, ctx, row);
      return row;
    });
  } catch (error) {
    // The object must not outlive a row that was never written (else the sweeper takes it).
    await deps.files.remove(stored.objectKey).catch(() => {});
    throw error;
  }
}
