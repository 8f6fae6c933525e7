import { PassThrough, type Readable } from 'node:stream';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Actor } from '../audit/index.ts';
import type { NoteRead } from '../chart/index.ts';
import type { ExportsDeps } from './exports.deps.ts';
import type { ExportRow } from './exports.repo.ts';
import type {
  ExportAppointment,
  ExportDocument,
  ExportForm,
  ExportNote,
  ExportPatient,
  ExportRecord,
} from './fhir.ts';
import { recordBundle } from './fhir.ts';
import { summaryHtml } from './summary-html.ts';

/** The largest zip an export writes: fflate writes no Zip64, so offsets must fit in 32 bits. */
const MAX_ZIP_BYTES = 0xffff_ffff;

/** A document's place in the zip: `documents/<first 8 of its id>-<its file name>` (never two alike). */
const pathOf = (doc: { id: string; fileName: string }) =>
  `documents/${doc.id.slice(0, 8)}-${doc.fileName.replace(/[/\\]/g, '_') || 'file'}`;

interface Gathered {
  record: ExportRecord;
  /** What is not in the export, said at the top of the summary (none: nothing is left out). */
  leftOut: string | null;
  /** Each document's bytes, opened when the zip reaches it (read and audited as the requester). */
  openDocument: (id: string) => Promise<Readable>;
}

/**
 * Reads the patient's record as the person who asked for it reads it — through each area's own
 * service, so every read is theirs and audited, and a member sees no more than the chart shows
 * them (the front desk: no notes, no form answers, no clinical documents).
 */
async function gather(deps: ExportsDeps, row: ExportRow): Promise<Gathered> {
  const patientId = row.patientId;
  const staffNames = new Map((await deps.accounts.list()).map((a) => [a.id, a.name]));
  const nameOf = (id: string | null) => (id ? (staffNames.get(id) ?? 'a former member of staff') : '');
  if (row.requestedByType === 'patient') {
    const actor = { type: 'patient' as const, id: row.requestedById };
    const patient = await deps.patients.get(actor, patientId);
    const appointments = (await deps.appointments.listForPatient({ actor }))
      .filter((a) => a.patientId === patientId)
      .map(appointmentOf);
    const docs = (await deps.documents.listOwn(actor)).filter((d) => d.patientId === patientId);
    const forms: ExportForm[] = [];
    for (const f of (await deps.forms.listOwn(actor)).filter((f) => f.patientId === patientId)) {
      const read = await deps.forms.readOwn(actor, f.id);
      forms.push(formOf(read));
    }
    return {
      record: {
        patient: patientOf(patient),
        appointments,
        documents: docs.map(documentOf),
        forms,
        notes: (await deps.notes.signedForPatient(actor, patientId)).map((read) => noteOf(read, nameOf)),
      },
      leftOut: null,
      openDocument: async (id) => bodyOf(await deps.documents.openOwn(actor, id)),
    };
  }
  const actor: Actor = { type: 'staff', id: row.requestedById };
  const patient = await deps.patients.get(actor, patientId);
  const appointments = (await deps.appointments.listOfPatient(actor, patientId)).map(appointmentOf);
  const docs = await deps.documents.list(actor, patientId);
  const leftOut: string[] = [];
  const chartForms = await deps.forms.listOfPatient(actor, patientId);
  const forms: ExportForm[] = [];
  if (chartForms.answersReadable) {
    for (const f of chartForms.forms) forms.push(formOf(await deps.forms.read(actor, f.id, { patientId })));
  } else if (chartForms.forms.length) {
    leftOut.push('form answers', 'clinical documents');
  }
  const chartNotes = await deps.notes.listOfPatient(actor, patientId);
  const notes: ExportNote[] = [];
  if (chartNotes.notes === null) {
    if (chartNotes.count) leftOut.push('treatment notes');
  } else {
    for (const n of chartNotes.notes.filter((n) => n.status === 'signed')) {
      notes.push(noteOf(await deps.notes.read(actor, n.id), nameOf));
    }
  }
  return {
    record: { patient: patientOf(patient), appointments, documents: docs.map(documentOf), forms, notes },
    leftOut: leftOut.length
      ? `Not in this export (the staff member who asked for it may not read them): ${[...new Set(leftOut)].join(', ')}.`
      : null,
    openDocument: async (id) => bodyOf(await deps.documents.open(actor, id)),
  };
}

function patientOf(p: Awaited<ReturnType<ExportsDeps['patients']['get']>>): ExportPatient {
  return {
    id: p.id,
    firstName: p.firstName,
    lastName: p.lastName,
    dateOfBirth: p.dateOfBirth,
    email: p.email,
    phone: p.phone,
    sex: p.sex,
    address: p.address,
    preferredLanguage: p.preferredLanguage,
    emergencyName: p.emergencyName,
    emergencyRelation: p.emergencyRelation,
    emergencyPhone: p.emergencyPhone,
    status: p.status,
  };
}

type DocumentRowOf = Awaited<ReturnType<ExportsDeps['documents']['list']>>[number];
const documentOf = (d: DocumentRowOf): ExportDocument & { fileName: string } => ({
  id: d.id,
  title: d.title,
  category: d.category,
  contentType: d.contentType,
  size: d.size,
  documentDate: d.documentDate,
  createdAt: d.createdAt,
  fileName: d.fileName,
  path: pathOf(d),
});

type FormDetailOf = Awaited<ReturnType<ExportsDeps['forms']['read']>>;
const formOf = (f: FormDetailOf): ExportForm => ({
  id: f.id,
  name: f.name,
  status: f.status,
  submittedAt: f.submittedAt,
  sentAt: f.sentAt,
  fields: f.fields,
  answers: f.answers,
});

function bodyOf(opened: Awaited<ReturnType<ExportsDeps['documents']['open']>>): Readable {
  if (opened.notModified) throw new Error('a document answered "not modified" to a whole read');
  return opened.body;
}

/**
 * Builds the export's zip — `record.json` (FHIR R4 Bundle), `summary.html`, `documents/<file>` —
 * streamed into the file vault (encrypted like every stored file); answers what the vault stored.
 */
export async function buildExportZip(deps: ExportsDeps, row: ExportRow) {
  const { record, leftOut, openDocument } = await gather(deps, row);
  const clinic = await deps.clinic.get();
  const now = deps.clock.now();
  const out = new PassThrough();
  // A failure destroys `out` with its error: the vault's read of it rejects with it (and the job
  // fails); this listener only keeps the event from being unhandled when the vault is between reads.
  out.on('error', () => {});
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      out.destroy(error);
      return;
    }
    out.write(chunk);
    if (final) out.end();
  });
  const mtime = now;
  const addBytes = (name: string, text: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    file.mtime = mtime;
    zip.add(file);
    file.push(new TextEncoder().encode(text), true);
  };
  const stored = deps.files.write(out, {
    keyHint: `exports/${row.patientId}/${row.id}`,
    maxBytes: MAX_ZIP_BYTES,
  });
  const writing = (async () => {
    addBytes('record.json', `${JSON.stringify(recordBundle(record, now), null, 2)}\n`);
    addBytes(
      'summary.html',
      summaryHtml(record, { clinicName: clinic.name, timeZone: clinic.timeZone, now, leftOut }),
    );
    for (const doc of record.documents) {
      const file = new ZipPassThrough(doc.path);
      file.mtime = doc.createdAt;
      zip.add(file);
      for await (const chunk of await openDocument(doc.id)) {
        file.push(chunk as Uint8Array, false);
        if (out.destroyed) throw new Error('the export stopped: its file could not be stored');
        if (out.writableNeedDrain)
          await new Promise((resolve) => {
            out.once('drain', resolve);
            out.once('close', resolve);
          });
      }
      file.push(new Uint8Array(0), true);
    }
    zip.end();
  })();
  stored.catch((error: unknown) => out.destroy(error as Error));
  const failed = writing.catch((error: unknown) => {
    out.destroy(error as Error);
    throw error;
  });
  const [file] = await Promise.all([stored, failed]);
  return { file, counts: countsOf(record) };
}

const countsOf = (r: ExportRecord) => ({
  appointments: r.appointments.length,
  documents: r.documents.length,
  forms: r.forms.length,
  notes: r.notes.length,
});

/** A signed note as the export writes it: its template's fields and answers, who signed, addenda. */
function noteOf(read: NoteRead, nameOf: (id: string | null) => string): ExportNote {
  return {
    id: read.note.id,
    title: read.template.name,
    signedAt: read.note.signedAt ?? read.note.updatedAt,
    signedBy: nameOf(read.note.signedBy),
    appointmentId: read.note.appointmentId,
    fields: read.template.fields,
    answers: read.note.answers,
    addenda: read.addenda.map((a) => ({
      heading: `Addendum, ${a.createdAt.toISOString()}, by ${nameOf(a.authorId)}`,
      text: a.text,
    })),
  };
}

/** An appointment as the export keeps it (the patient's own list also names the practitioner). */
function appointmentOf(a: ExportAppointment): ExportAppointment {
  return {
    id: a.id,
    start: a.start,
    end: a.end,
    status: a.status,
    service: a.service,
    ...('practitioner' in a ? { practitioner: a.practitioner } : {}),
    reason: a.reason,
  };
}
