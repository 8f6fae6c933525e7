import { type Context, Hono } from 'hono';
import { PatientChoices } from '../../../views/pages/staff/booking-form.tsx';
import { PatientChartPage } from '../../../views/pages/staff/patient-chart.tsx';
import type { PatientInviteView } from '../../../views/pages/staff/patient-invite.tsx';
import {
  AlertsBanner,
  type AlertsView,
  type RecordFormValues,
} from '../../../views/pages/staff/patient-record.tsx';
import { PatientResults, PatientsPage } from '../../../views/pages/staff/patients.tsx';
import { can } from '../../domain/accounts/index.ts';
import type { ClinicSettings } from '../../domain/clinic/index.ts';
import { type Patient, phoneForDisplay, quietHoursOf } from '../../domain/patients/index.ts';
import { readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { deliveryRowView } from './delivery-row.ts';
import { documentsSection } from './documents-view.tsx';
import { patientAccessView } from './patient-access.tsx';
import {
  bannerOf,
  recordChangeOf,
  recordFacts,
  recordFormValues,
  recordParts,
  typedRecord,
} from './patients-record.tsx';

/** What the chart says after an action of its "who can get in" section. */
const chartNotices: Record<string, string> = {
  'login-removed': 'The address was removed; it is signed out.',
  'link-ended': 'The family link was ended, or will end on the day given.',
  saved: 'The record was saved. The change is in its history.',
  unchanged: 'Nothing was different: nothing was saved.',
  archived: 'The record is archived: out of search and booking. Everything on it is kept.',
  unarchived: 'The record is active again.',
  'alert-added': 'The alert was added.',
  'alert-resolved': 'The alert was resolved.',
  invited: 'The invitation is on its way. Its link works for 7 days.',
};

/** One row of the patients list. */
const patientRow = (p: Patient) => ({
  id: p.id,
  name: `${p.lastName}, ${p.firstName}`,
  dateOfBirth: p.dateOfBirth,
  email: p.email ?? '',
  phone: p.phone ? phoneForDisplay(p.phone) : '',
  archived: p.status === 'archived',
});

/** The chart's facts about the patient: contact, consents, quiet hours, devices, a possible duplicate. */
function chartPatient(
  patient: Patient,
  clinic: ClinicSettings,
  pushDevices: number,
  duplicateOf: Patient | null,
) {
  const quiet = quietHoursOf(patient.quietHours, clinic.smsQuietHours);
  return {
    id: patient.id,
    name: `${patient.firstName} ${patient.lastName}`,
    dateOfBirth: patient.dateOfBirth,
    email: patient.email ?? '',
    phone: patient.phone ? phoneForDisplay(patient.phone) : '',
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
  };
}

/**
 * `/staff/patients`: the list and search (a page at a time, audited as one read), the booking
 * form's search-as-you-type (`/search`), and a patient's chart: the record (its read audited),
 * who can get into it (patient-access.tsx), the invitation to the app, and the messages sent to
 * them (audited too).
 */
export function staffPatientsRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  app.get('/', authorize('patients.read'), async (c) => {
    const query = (c.req.query('q') ?? '').slice(0, 200);
    const page = Number(c.req.query('page'));
    const archived = c.req.query('archived') === '1';
    const found = await deps.patients.browse(actorOf(c), {
      query,
      page: Number.isInteger(page) && page > 0 ? page : 1,
      pageSize: 25,
      includeArchived: archived,
    });
    const props = {
      query,
      archived,
      page: found.page,
      hasMore: found.hasMore,
      rows: found.rows.map(patientRow),
    };
    // Typing in the search box (htmx) replaces only the results.
    if (c.req.header('hx-request')) return c.html(<PatientResults {...props} />);
    return c.html(PatientsPage({ nav: kit.nav(c), ...props }));
  });
  // Before '/:id', which would match it too.
  app.get('/search', authorize('patients.read'), async (c) => {
    const q = c.req.query('q') ?? '';
    const found = await deps.patients.search(actorOf(c), q);
    return c.html(
      <PatientChoices
        query={q}
        patients={found.map((p) => ({
          id: p.id,
          label: `${p.firstName} ${p.lastName} (born ${p.dateOfBirth})`,
        }))}
      />,
    );
  });
  // The patient's active alerts as a banner: the calendar's appointment panel loads it (htmx).
  app.get('/:id/alerts-banner', authorize('patients.read'), async (c) => {
    const alerts = await deps.patients.alerts(actorOf(c), c.req.param('id'));
    return c.html(<AlertsBanner alerts={bannerOf(alerts)} />);
  });
  app.get('/:id', authorize('patients.read'), (c) =>
    chart(c, c.req.param('id'), { notice: chartNotices[c.req.query('notice') ?? ''] }),
  );
  // Invite the patient to the app: by email (the record's or another) or by SMS; audited by the domain.
  app.post('/:id/invite', authorize('patients.write'), async (c) => {
    const id = c.req.param('id');
    const form = await readForm(c);
    const by = form.text('by') === 'sms' ? 'sms' : 'email';
    const typed = { email: form.text('email').trim(), phone: form.text('phone').trim() };
    return orRerender(
      async () => {
        await deps.patientInvites.invite(
          actorOf(c),
          id,
          by === 'sms' ? { phone: typed.phone } : typed.email ? { email: typed.email } : {},
        );
        return redirect(c, `/staff/patients/${encodeURIComponent(id)}?notice=invited#h-invite`);
      },
      (refusal) =>
        chart(c, id, {
          status: refusal.status,
          invite: { by, ...typed, errors: { form: refusal.first, ...refusal.fields } },
        }),
      (e) => e.code === 'validation_failed' || e.code === 'already_registered',
    );
  });
  // Change the record (version-checked; each field changed kept in its history; audited).
  app.post('/:id/record', authorize('patients.write'), async (c) => {
    const id = c.req.param('id');
    const typed = typedRecord(await readForm(c));
    return orRerender(
      async () => {
        const before = Number(typed.version);
        const row = await deps.patients.update(actorOf(c), id, recordChangeOf(typed));
        const notice = row.version === before ? 'unchanged' : 'saved';
        return redirect(c, `/staff/patients/${encodeURIComponent(id)}?notice=${notice}`);
      },
      (refusal) =>
        chart(c, id, {
          status: refusal.status,
          edit: {
            // After a conflict the form shows the record as it is now: what was typed would overwrite it.
            values: refusal.error.code === 'version_conflict' ? undefined : typed,
            errors: { form: refusal.first, ...refusal.fields },
          },
        }),
      (e) => e.code === 'validation_failed' || e.code === 'version_conflict',
    );
  });
  for (const archived of [true, false]) {
    app.post(`/:id/${archived ? 'archive' : 'unarchive'}`, authorize('patients.write'), async (c) => {
      const id = c.req.param('id');
      const version = Number((await readForm(c)).text('version'));
      const input = Number.isInteger(version) && version > 0 ? { version } : {};
      return orRerender(
        async () => {
          if (archived) await deps.patients.archive(actorOf(c), id, input);
          else await deps.patients.unarchive(actorOf(c), id, input);
          return redirect(
            c,
            `/staff/patients/${encodeURIComponent(id)}?notice=${archived ? 'archived' : 'unarchived'}`,
          );
        },
        (refusal) => chart(c, id, { status: refusal.status, edit: { errors: { form: refusal.first } } }),
        (e) => e.code === 'version_conflict',
      );
    });
  }
  // Alerts: the domain checks who may write which kind (alerts.ts).
  app.post('/:id/alerts', authorize('patients.write'), async (c) => {
    const id = c.req.param('id');
    const form = await readForm(c);
    const typed = { kind: form.text('kind'), text: form.text('text'), severity: form.text('severity') };
    return orRerender(
      async () => {
        await deps.patients.addAlert(actorOf(c), id, {
          kind: typed.kind,
          text: typed.text,
          severity: typed.severity === '' ? null : typed.severity,
        });
        return redirect(c, `/staff/patients/${encodeURIComponent(id)}?notice=alert-added#h-alerts`);
      },
      (refusal) =>
        chart(c, id, {
          status: refusal.status,
          alert: { typed, errors: { form: refusal.first, ...refusal.fields } },
        }),
      (e) => e.code === 'validation_failed' || e.code === 'forbidden',
    );
  });
  app.post('/:id/alerts/:alertId/resolve', authorize('patients.write'), async (c) => {
    const { id, alertId } = c.req.param();
    await deps.patients.resolveAlert(actorOf(c), id, alertId, { resolved: true });
    return redirect(c, `/staff/patients/${encodeURIComponent(id)}?notice=alert-resolved#h-alerts`);
  });
  // A record registration flagged as maybe someone's already on file is not: the Inbox stops listing it.
  app.post('/:id/not-duplicate', authorize('patients.write'), async (c) => {
    await deps.patients.notDuplicate(actorOf(c), c.req.param('id'));
    return redirect(c, '/staff/inbox?notice=not-duplicate#h-duplicates');
  });

  /** The chart (its read audited); `invite` keeps what was typed in a refused invitation. */
  async function chart(
    c: Context<AppEnv>,
    id: string,
    extra: {
      notice?: string | undefined;
      status?: number;
      invite?: Pick<PatientInviteView, 'by' | 'email' | 'phone' | 'errors'>;
      edit?: { values?: RecordFormValues | undefined; errors?: Record<string, string> };
      alert?: Pick<AlertsView, 'typed' | 'errors'>;
    },
  ) {
    const actor = actorOf(c);
    const role = c.get('staff')!.account.role;
    const patient = await deps.patients.get(actor, id);
    const [deliveries, devices, clinic, access, duplicateOf, documents] = await Promise.all([
      deps.notifications.deliveries.forPatient(actor, patient.id),
      deps.notifications.push.countDevices(patient.id),
      deps.clinic.get(),
      deps.patientAccess.view(actor, patient.id),
      patient.possibleDuplicateOf
        ? deps.patients.get(actor, patient.possibleDuplicateOf).catch(() => null)
        : null,
      documentsSection(deps, c, patient.id),
    ]);
    const canChange = can(role, 'patients.write');
    const parts = await recordParts(deps, actor, role, patient.id, clinic.timeZone);
    const invite: PatientInviteView = {
      patientId: patient.id,
      logins: access.logins.length,
      by: patient.email || !patient.phone ? 'email' : 'sms',
      email: patient.email ?? '',
      phone: patient.phone ? phoneForDisplay(patient.phone) : '',
      ...extra.invite,
    };
    return c.html(
      PatientChartPage({
        nav: kit.nav(c),
        patient: chartPatient(patient, clinic, devices, duplicateOf),
        deliveries: deliveries.map((d) => deliveryRowView(d, clinic.timeZone)),
        access: patientAccessView(patient.id, access, clinic.timeZone),
        canChange,
        notice: extra.notice,
        invite: canChange && patient.status === 'active' ? invite : undefined,
        documents,
        banner: parts.banner,
        alerts: {
          patientId: patient.id,
          alerts: parts.alertRows,
          kinds: parts.kinds,
          ...extra.alert,
        },
        edit: canChange
          ? { values: extra.edit?.values ?? recordFormValues(patient), errors: extra.edit?.errors }
          : undefined,
        history: parts.history,
        appointments: parts.appointments,
      }),
      (extra.status ?? 200) as 200,
    );
  }
  return app;
}
