/**
 * What the staff patients pages show: a row of the list, and a patient's chart with its record,
 * who can get in, the invitation, messages sent, documents, alerts, history and appointments.
 */
import type { Context } from 'hono';
import { DateTime } from 'luxon';
import { PatientChartPage } from '../../../views/pages/staff/patient-chart.tsx';
import type { PatientInviteView } from '../../../views/pages/staff/patient-invite.tsx';
import type { AlertsView, RecordFormValues } from '../../../views/pages/staff/patient-record.tsx';
import { can } from '../../domain/accounts/index.ts';
import type { ClinicSettings } from '../../domain/clinic/index.ts';
import { type Patient, quietHoursOf } from '../../domain/patients/index.ts';
import { notFound } from '../../lib/errors.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { birthDate, clinicDate } from './clinic-time.ts';
import { deliveryRowView } from './delivery-row.ts';
import { documentsSection } from './documents-view.tsx';
import { exportSection } from './exports.tsx';
import { formNotices, formsSection } from './forms-view.ts';
import { patientInvoicesSection } from './invoice-pages.tsx';
import { patientAccessView } from './patient-access.tsx';
import {
  patientContact,
  patientHeading,
  recordFacts,
  recordFormValues,
  recordParts,
} from './patients-record.tsx';

/** What the chart says after an action of its "who can get in" section. */
export const chartNotices: Record<string, string> = {
  'login-removed': 'The address was removed; it is signed out.',
  'link-ended': 'The family link was ended, or will end on the day given.',
  added: 'The patient was added.',
  saved: 'The record was saved. The change is in its history.',
  unchanged: 'Nothing was different: nothing was saved.',
  archived: 'The record is archived: out of search and booking. Everything on it is kept.',
  unarchived: 'The record is active again.',
  'alert-added': 'The alert was added.',
  'alert-resolved': 'The alert was resolved.',
  invited: 'The invitation is on its way. Its link works for 7 days.',
  merged:
    'The records were merged: everything of the other record is on this one now, and the other is archived.',
  erased: 'The record was erased: its personal data is gone; only anonymous counts remain.',
  restricted: 'The record is restricted: hidden from lists, search, the Inbox and messages; sign-in refused.',
  unrestricted: 'The restriction was lifted.',
};

/** One row of the patients list. */
export const patientRow = (p: Patient) => ({
  id: p.id,
  name: `${p.lastName}, ${p.firstName}`,
  dateOfBirth: birthDate(p.dateOfBirth),
  ...patientContact(p),
  archived: p.status === 'archived',
});

/** The chart's facts about the patient: contact, consents, quiet hours, devices, a possible duplicate. */
function chartPatient(
  patient: Patient,
  clinic: ClinicSettings,
  pushDevices: number,
  duplicateOf: Patient | null,
  mergedInto: Patient | null,
) {
  const quiet = quietHoursOf(patient.quietHours, clinic.smsQuietHours);
  return {
    ...patientHeading(patient),
    language: patient.preferredLanguage ?? `the clinic’s (${clinic.locale})`,
    consents: {
      email: patient.messagesByEmail,
      sms: patient.messagesBySms,
      push: patient.messagesByPush,
    },
    quietHours: quiet
      ? `${quiet.start}–${quiet.end}${patient.quietHours === null ? ' (the clinic’s)' : ''}`
      : 'none',
    pushDevices,
    ...recordFacts(patient),
    possibleDuplicateOf: duplicateOf
      ? { id: duplicateOf.id, name: `${duplicateOf.firstName} ${duplicateOf.lastName}` }
      : undefined,
    mergedInto: mergedInto
      ? { id: mergedInto.id, name: `${mergedInto.firstName} ${mergedInto.lastName}` }
      : undefined,
    restricted: patient.restrictedAt
      ? {
          since: clinicDate(patient.restrictedAt, clinic.timeZone),
          until: patient.retainUntil ? clinicDate(patient.retainUntil, clinic.timeZone) : '—',
          reason: patient.restrictReason ?? '',
        }
      : undefined,
    erased: patient.erasedAt ? clinicDate(patient.erasedAt, clinic.timeZone) : undefined,
  };
}

/** What a refused change shows again on the chart. */
export type ChartExtra = {
  notice?: string | undefined;
  status?: number;
  invite?: Pick<PatientInviteView, 'by' | 'email' | 'phone' | 'errors'>;
  edit?: { values?: RecordFormValues | undefined; errors?: Record<string, string> };
  alert?: Pick<AlertsView, 'typed' | 'errors'>;
  /** A refused "send a form". */
  forms?: { error?: string };
};

/** The chart (its read audited); `invite` keeps what was typed in a refused invitation. */
export async function chartPage(
  deps: HttpDeps,
  kit: RouteKit,
  c: Context<AppEnv>,
  id: string,
  extra: ChartExtra,
) {
  const actor = actorOf(c);
  const role = c.get('staff')!.account.role;
  const patient = await deps.patients.get(actor, id);
  // A restricted record (GDPR art. 18) is open by its link to admins only.
  if (patient.restrictedAt && !can(role, 'patients.erase')) throw notFound('that_patient');
  const other = (otherId: string | null) =>
    otherId ? deps.patients.get(actor, otherId).catch(() => null) : null;
  const [deliveries, devices, clinic, access, duplicateOf, mergedInto, documents, forms, exports, invoices] =
    await Promise.all([
      deps.notifications.deliveries.forPatient(actor, patient.id),
      deps.notifications.push.countDevices(patient.id),
      deps.clinic.get(),
      deps.patientAccess.view(actor, patient.id),
      other(patient.possibleDuplicateOf),
      other(patient.mergedInto),
      documentsSection(deps, c, patient.id),
      formsSection(deps, c, patient.id, {
        notice: formNotices[c.req.query('forms') ?? ''],
        error: extra.forms?.error,
      }),
      exportSection(deps, c, patient.id),
      patientInvoicesSection(deps, c, patient.id),
    ]);
  const canChange = can(role, 'patients.write');
  const parts = await recordParts(deps, actor, role, patient.id, clinic.timeZone);
  const invite: PatientInviteView = {
    patientId: patient.id,
    logins: access.logins.length,
    by: patient.email || !patient.phone ? 'email' : 'sms',
    ...patientContact(patient),
    ...extra.invite,
  };
  return c.html(
    PatientChartPage({
      nav: kit.nav(c),
      patient: chartPatient(patient, clinic, devices, duplicateOf, mergedInto),
      canMerge: can(role, 'patients.merge') && patient.status === 'active' && !patient.restrictedAt,
      canErase: can(role, 'patients.erase') && !patient.erasedAt,
      deliveries: deliveries.map((d) => deliveryRowView(d, clinic.timeZone)),
      access: patientAccessView(patient.id, access, clinic.timeZone),
      canChange,
      notice: extra.notice,
      invite: canChange && patient.status === 'active' ? invite : undefined,
      documents,
      forms,
      exports,
      invoices,
      banner: parts.banner,
      alerts: {
        patientId: patient.id,
        alerts: parts.alertRows,
        kinds: parts.kinds,
        ...extra.alert,
      },
      edit:
        canChange && !patient.mergedInto
          ? { values: extra.edit?.values ?? recordFormValues(patient), errors: extra.edit?.errors }
          : undefined,
      history: parts.history,
      appointments: parts.appointments,
    }),
    (extra.status ?? 200) as 200,
  );
}
