import { answerText, type TemplateField } from '../chart/index.ts';

/**
 * The patient's record as a FHIR R4 Bundle (type "collection"): Patient, Appointment,
 * DocumentReference (the file beside it in the zip), QuestionnaireResponse (their forms) and
 * Composition (signed notes, a section per heading). Every resource keeps its Clinicbox id and
 * refers to the others as `Type/<id>` (relative references, resolved within the Bundle).
 */

type Resource = Record<string, unknown> & { resourceType: string; id: string };

export interface ExportPatient {
  id: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  email: string | null;
  phone: string | null;
  sex: 'female' | 'male' | 'other' | 'unknown' | null;
  address: string | null;
  preferredLanguage: string | null;
  emergencyName: string | null;
  emergencyRelation: string | null;
  emergencyPhone: string | null;
  status: 'active' | 'archived';
}

export interface ExportAppointment {
  id: string;
  start: string;
  end: string;
  status: 'requested' | 'booked' | 'arrived' | 'completed' | 'cancelled' | 'no_show';
  service: string;
  practitioner?: string | undefined;
  reason: string | null;
}

export interface ExportDocument {
  id: string;
  title: string;
  category: string;
  contentType: string;
  size: number;
  documentDate: string;
  createdAt: Date;
  /** Its path inside the zip (`documents/<file>`). */
  path: string;
}

export interface ExportForm {
  id: string;
  name: string;
  status: 'sent' | 'in_progress' | 'submitted' | 'reviewed';
  submittedAt: Date | null;
  sentAt: Date;
  fields: readonly TemplateField[];
  answers: Record<string, unknown>;
}

export interface ExportNote {
  id: string;
  title: string;
  signedAt: Date;
  signedBy: string;
  appointmentId: string | null;
  fields: readonly TemplateField[];
  answers: Record<string, unknown>;
  addenda: { heading: string; text: string }[];
}

export interface ExportRecord {
  patient: ExportPatient;
  appointments: ExportAppointment[];
  documents: ExportDocument[];
  forms: ExportForm[];
  notes: ExportNote[];
}

/** How a Clinicbox appointment's status reads in FHIR (Appointment.status). */
export const appointmentStatus: Record<ExportAppointment['status'], string> = {
  requested: 'proposed',
  booked: 'booked',
  arrived: 'arrived',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  no_show: 'noshow',
};

const ref = (type: string, id: string, display?: string) => ({
  reference: `${type}/${id}`,
  ...(display ? { display } : {}),
});
const escapeXml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const xhtml = (inner: string) => `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`;

export function patientResource(p: ExportPatient): Resource {
  const telecom = [
    ...(p.phone ? [{ system: 'phone', value: p.phone }] : []),
    ...(p.email ? [{ system: 'email', value: p.email }] : []),
  ];
  const contactTelecom = p.emergencyPhone ? [{ system: 'phone', value: p.emergencyPhone }] : [];
  return {
    resourceType: 'Patient',
    id: p.id,
    active: p.status === 'active',
    name: [{ use: 'official', family: p.lastName, given: [p.firstName] }],
    birthDate: p.dateOfBirth,
    ...(p.sex ? { gender: p.sex } : {}),
    ...(telecom.length ? { telecom } : {}),
    ...(p.address ? { address: [{ text: p.address }] } : {}),
    ...(p.emergencyName
      ? {
          contact: [
            {
              ...(p.emergencyRelation ? { relationship: [{ text: p.emergencyRelation }] } : {}),
              name: { text: p.emergencyName },
              ...(contactTelecom.length ? { telecom: contactTelecom } : {}),
            },
          ],
        }
      : {}),
    ...(p.preferredLanguage
      ? {
          communication: [
            {
              language: {
                coding: [{ system: 'urn:ietf:bcp:47', code: p.preferredLanguage }],
                text: p.preferredLanguage,
              },
              preferred: true,
            },
          ],
        }
      : {}),
  };
}

function appointmentResource(a: ExportAppointment, patient: ExportPatient): Resource {
  const name = `${patient.firstName} ${patient.lastName}`;
  return {
    resourceType: 'Appointment',
    id: a.id,
    status: appointmentStatus[a.status],
    serviceType: [{ text: a.service }],
    ...(a.reason ? { description: a.reason } : {}),
    start: a.start,
    end: a.end,
    participant: [
      { actor: ref('Patient', patient.id, name), status: 'accepted' },
      ...(a.practitioner ? [{ actor: { display: a.practitioner }, status: 'accepted' }] : []),
    ],
  };
}

function documentResource(d: ExportDocument, patientId: string): Resource {
  return {
    resourceType: 'DocumentReference',
    id: d.id,
    status: 'current',
    type: { text: d.category },
    subject: ref('Patient', patientId),
    date: d.createdAt.toISOString(),
    description: d.title,
    content: [
      {
        attachment: {
          contentType: d.contentType,
          url: encodeURI(d.path),
          size: d.size,
          title: d.title,
          creation: `${d.documentDate}`,
        },
      },
    ],
  };
}

/** The answered fields (headings and unanswered ones left out), as text. */
const answered = (fields: readonly TemplateField[], answers: Record<string, unknown>) =>
  fields.flatMap((f) =>
    f.type === 'heading' || answers[f.id] === undefined || answers[f.id] === null || answers[f.id] === ''
      ? []
      : [{ field: f, text: answerText(f, answers[f.id]) }],
  );

function formResource(f: ExportForm, patientId: string): Resource {
  const items = answered(f.fields, f.answers).map(({ field, text }) => ({
    linkId: field.id,
    text: field.label,
    answer: [{ valueString: text }],
  }));
  return {
    resourceType: 'QuestionnaireResponse',
    id: f.id,
    status: f.status === 'submitted' || f.status === 'reviewed' ? 'completed' : 'in-progress',
    subject: ref('Patient', patientId),
    authored: (f.submittedAt ?? f.sentAt).toISOString(),
    ...(items.length ? { item: items } : {}),
    extension: [{ url: 'https://clinicbox.example/fhir/form-name', valueString: f.name }],
  };
}

/** A signed note's sections: one per heading (the fields before the first under the note's title). */
export function noteSections(note: Pick<ExportNote, 'title' | 'fields' | 'answers' | 'addenda'>) {
  const sections: { title: string; lines: { label: string; text: string }[] }[] = [];
  let current = { title: note.title, lines: [] as { label: string; text: string }[] };
  for (const field of note.fields) {
    if (field.type === 'heading') {
      if (current.lines.length) sections.push(current);
      current = { title: field.label, lines: [] };
      continue;
    }
    const value = note.answers[field.id];
    if (value === undefined || value === null || value === '') continue;
    current.lines.push({ label: field.label, text: answerText(field, value) });
  }
  if (current.lines.length) sections.push(current);
  for (const a of note.addenda) sections.push({ title: a.heading, lines: [{ label: '', text: a.text }] });
  return sections;
}

function noteResource(n: ExportNote, patientId: string): Resource {
  const sections = noteSections(n).map((s) => ({
    title: s.title,
    text: {
      status: 'generated',
      div: xhtml(
        s.lines
          .map((l) => `<p>${l.label ? `<b>${escapeXml(l.label)}</b>: ` : ''}${escapeXml(l.text)}</p>`)
          .join(''),
      ),
    },
  }));
  return {
    resourceType: 'Composition',
    id: n.id,
    status: 'final',
    type: { text: n.title },
    subject: ref('Patient', patientId),
    ...(n.appointmentId ? { encounter: { display: `Appointment ${n.appointmentId}` } } : {}),
    date: n.signedAt.toISOString(),
    author: [{ display: n.signedBy }],
    title: n.title,
    ...(sections.length ? { section: sections } : {}),
  };
}

/** The Bundle (`record.json`). */
export function recordBundle(record: ExportRecord, now: Date) {
  const pid = record.patient.id;
  const resources: Resource[] = [
    patientResource(record.patient),
    ...record.appointments.map((a) => appointmentResource(a, record.patient)),
    ...record.documents.map((d) => documentResource(d, pid)),
    ...record.forms.map((f) => formResource(f, pid)),
    ...record.notes.map((n) => noteResource(n, pid)),
  ];
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: now.toISOString(),
    entry: resources.map((resource) => ({ resource })),
  };
}
