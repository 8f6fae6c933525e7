import { DateTime } from 'luxon';
import type {
  AlertsView,
  ChartAppointmentView,
  HistoryRowView,
  RecordFormValues,
} from '../../../views/pages/staff/patient-record.tsx';
import { IDENTIFIER_ROWS } from '../../../views/pages/staff/patient-record.tsx';
import { can, type StaffRole } from '../../domain/accounts/index.ts';
import type { Actor } from '../../domain/audit/index.ts';
import { type Patient, type PatientAlert, phoneForDisplay } from '../../domain/patients/index.ts';
import type { FormFields } from '../kit/form.ts';
import type { HttpDeps } from '../types.ts';
import { birthDate, clinicTime } from './clinic-time.ts';

/*
 * The chart's record parts for staff pages (views/pages/staff/patient-record.tsx): the edit form's
 * values and how a posted form becomes a change of record, the alerts and who may write which,
 * the history, and the appointments, past and upcoming.
 */

/** The record's typed identifiers; unreadable JSON reads as none. */
export function identifiersOf(p: Patient): { type: string; value: string }[] {
  try {
    const list = JSON.parse(p.identifiers) as unknown;
    return Array.isArray(list) ? (list as { type: string; value: string }[]) : [];
  } catch {
    return [];
  }
}

const identifierLabel: Record<string, string> = {
  insurance: 'Insurance',
  national: 'National',
  other: 'Other',
};

/** The chart's lines about the record beyond its contact details. */
export function recordFacts(p: Patient) {
  const join = (...parts: (string | null)[]) => parts.filter(Boolean).join(', ');
  return {
    sex: p.sex ?? '',
    address: p.address ?? '',
    emergencyContact: join(
      p.emergencyName,
      p.emergencyRelation ? `(${p.emergencyRelation})` : null,
      p.emergencyPhone ? phoneForDisplay(p.emergencyPhone) : null,
    ).replace(', (', ' ('),
    referrer: join(p.referrerName, p.referrerPractice, p.referrerContact),
    identifiers: identifiersOf(p).map((i) => `${identifierLabel[i.type] ?? i.type}: ${i.value}`),
    archived: p.status === 'archived',
  };
}

/** A patient's email and phone as staff pages show them ('' when none). */
export const patientContact = (p: Patient) => ({
  email: p.email ?? '',
  phone: p.phone ? phoneForDisplay(p.phone) : '',
});

/** A patient as the chart and the merge screens head them: id, full name, date of birth, contact. */
export const patientHeading = (p: Patient) => ({
  id: p.id,
  name: `${p.firstName} ${p.lastName}`,
  dateOfBirth: birthDate(p.dateOfBirth),
  ...patientContact(p),
});

/** The edit form showing the record as stored. */
export function recordFormValues(p: Patient): RecordFormValues {
  return {
    version: String(p.version),
    firstName: p.firstName,
    lastName: p.lastName,
    dateOfBirth: p.dateOfBirth,
    sex: p.sex ?? '',
    ...patientContact(p),
    address: p.address ?? '',
    emergencyName: p.emergencyName ?? '',
    emergencyRelation: p.emergencyRelation ?? '',
    emergencyPhone: p.emergencyPhone ? phoneForDisplay(p.emergencyPhone) : '',
    referrerName: p.referrerName ?? '',
    referrerPractice: p.referrerPractice ?? '',
    referrerContact: p.referrerContact ?? '',
    identifiers: identifiersOf(p),
  };
}

/** The posted edit form, as typed (to show again when refused). */
export function typedRecord(form: FormFields): RecordFormValues {
  const identifiers = Array.from({ length: IDENTIFIER_ROWS }, (_, i) => ({
    type: form.text(`idType${i}`),
    value: form.text(`idValue${i}`).trim(),
  })).filter((row) => row.type || row.value);
  const t = (name: string) => form.text(name);
  return {
    version: t('version'),
    firstName: t('firstName'),
    lastName: t('lastName'),
    dateOfBirth: t('dateOfBirth'),
    sex: t('sex'),
    email: t('email'),
    phone: t('phone'),
    address: t('address'),
    emergencyName: t('emergencyName'),
    emergencyRelation: t('emergencyRelation'),
    emergencyPhone: t('emergencyPhone'),
    referrerName: t('referrerName'),
    referrerPractice: t('referrerPractice'),
    referrerContact: t('referrerContact'),
    identifiers,
  };
}

/** The change of record the form asks for (PATCH's shape; the domain validates it). */
export function recordChangeOf(v: RecordFormValues): Record<string, unknown> {
  return {
    version: Number(v.version),
    firstName: v.firstName,
    lastName: v.lastName,
    dateOfBirth: v.dateOfBirth,
    sex: v.sex === '' ? null : v.sex,
    email: v.email,
    phone: v.phone,
    address: v.address.replace(/\r\n/g, '\n'),
    emergencyContact: { name: v.emergencyName, relation: v.emergencyRelation, phone: v.emergencyPhone },
    referrer: { name: v.referrerName, practice: v.referrerPractice, contact: v.referrerContact },
    identifiers: v.identifiers,
  };
}

/** The history's names of the record's fields. */
const fieldLabel: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  email: 'Email',
  phone: 'Phone',
  address: 'Address',
  emergencyName: 'Emergency contact',
  emergencyRelation: 'Emergency contact’s relation',
  emergencyPhone: 'Emergency contact’s phone',
  referrerName: 'Referrer',
  referrerPractice: 'Referrer’s practice',
  referrerContact: 'Referrer’s contact',
  identifiers: 'Identifiers',
  status: 'Status',
};

/** Who may write (and resolve) which kind of alert: alerts.ts's rule, for the form and buttons. */
export function alertKindsFor(role: StaffRole): AlertsView['kinds'] {
  const kinds: AlertsView['kinds'] = [];
  if (can(role, 'clinical.write')) kinds.push('allergy', 'medical');
  if (can(role, 'patients.write')) kinds.push('admin');
  return kinds;
}

/** The banner's items. */
export const bannerOf = (alerts: PatientAlert[]) =>
  alerts.map(({ kind, text, severity }) => ({ kind, text, severity }));

/** The chart's alerts, history and appointments, read for `actor` (each read audited by its area). */
export async function recordParts(
  deps: HttpDeps,
  actor: Actor,
  role: StaffRole,
  patientId: string,
  timeZone: string,
) {
  const [alerts, changes, appointments, members] = await Promise.all([
    deps.patients.alerts(actor, patientId),
    deps.patients.history(actor, patientId),
    deps.appointments.listOfPatient(actor, patientId),
    deps.staff.accounts.list(),
  ]);
  const nameOf = (id: string | null) => members.find((m) => m.id === id)?.name ?? 'staff';
  const kinds = alertKindsFor(role);
  const history: HistoryRowView[] = changes.map((c) => ({
    at: clinicTime(c.changedAt, timeZone),
    by: c.actorType === 'staff' ? nameOf(c.actorId) : c.actorType,
    field: fieldLabel[c.field] ?? c.field,
    from: c.oldValue ?? '—',
    to: c.newValue ?? '—',
  }));
  const now = deps.clock.now().getTime();
  const row = (a: (typeof appointments)[number]): ChartAppointmentView => ({
    id: a.id,
    when: DateTime.fromISO(a.start, { zone: timeZone }).toFormat('ccc d LLL yyyy, HH:mm'),
    service: a.service,
    status: a.status,
  });
  const upcoming = appointments
    .filter((a) => Date.parse(a.start) >= now)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const past = appointments
    .filter((a) => Date.parse(a.start) < now)
    .sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
  return {
    banner: bannerOf(alerts),
    alertRows: alerts.map((a) => ({
      id: a.id,
      kind: a.kind,
      text: a.text,
      severity: a.severity,
      by: nameOf(a.createdBy),
      at: clinicTime(a.createdAt, timeZone),
      canResolve: kinds.includes(a.kind),
    })),
    kinds,
    history,
    appointments: { upcoming: upcoming.map(row), past: past.map(row) },
  };
}
