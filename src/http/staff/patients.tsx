import { Hono } from 'hono';
import { newPatientFields } from '../../../views/components/new-patient-fields.tsx';
import { PatientChoices } from '../../../views/pages/staff/booking-form.tsx';
import { AlertsBanner } from '../../../views/pages/staff/patient-record.tsx';
import {
  NewPatientPage,
  type NewPatientValues,
  PatientResults,
  PatientsPage,
} from '../../../views/pages/staff/patients.tsx';
import { can } from '../../domain/accounts/index.ts';
import { newId } from '../../lib/ids.ts';
import { readForm } from '../kit/form.ts';
import { orRerender, type Refusal } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { isoDateOfBirth } from './book-from-calendar.ts';
import { birthDate } from './clinic-time.ts';
import { createFromForm } from './patient-from-form.ts';
import { addAlert, changeRecord, invitePatient, setArchived } from './patients-actions.ts';
import { staffPatientEraseRoutes } from './patients-erase.tsx';
import { staffPatientMergeRoutes } from './patients-merge.tsx';
import { bannerOf } from './patients-record.tsx';
import { chartNotices, chartPage, patientRow } from './patients-view.tsx';

/**
 * `/staff/patients`: the list and search (a page at a time, audited as one read), the booking
 * form's search-as-you-type (`/search`), and a patient's chart: the record (its read audited),
 * who can get into it (patient-access.tsx), the invitation to the app, and the messages sent to
 * them (audited too). The chart's changes are in patients-actions.ts, its page in patients-view.tsx,
 * merging a duplicate in patients-merge.tsx.
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
      canAdd: can(c.get('staff')!.account.role, 'patients.write'),
    };
    // Typing in the search box (htmx) replaces only the results.
    if (c.req.header('hx-request')) return c.html(<PatientResults {...props} />);
    return c.html(PatientsPage({ nav: kit.nav(c), ...props }));
  });
  // "Add a patient" (before '/:id', which would read "new" as an id): a patient who phones in is
  // registered without booking, made as the booking panel makes one (the patients area validates
  // and audits), then their chart opens.
  app.get('/new', authorize('patients.write'), (c) =>
    c.html(NewPatientPage({ nav: kit.nav(c), values: { ...noPatientTyped, submission: newId() } })),
  );
  app.post('/new', authorize('patients.write'), async (c) => {
    const form = await readForm(c);
    const values: NewPatientValues = { ...noPatientTyped, submission: form.text('submission') || newId() };
    for (const { name } of newPatientFields) values[name] = form.text(name);
    const { submission, ...typed } = values;
    return orRerender(
      async () => {
        const input = { ...typed, dateOfBirth: isoDateOfBirth(values.dateOfBirth) };
        const created = await createFromForm(deps, c, input, submission);
        return redirect(c, `/staff/patients/${encodeURIComponent(created.id)}?notice=added`);
      },
      (r) =>
        c.html(
          NewPatientPage({ nav: kit.nav(c), values: { ...values, errors: newPatientErrors(r) } }),
          r.status as 422,
        ),
    );
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
          label: `${p.firstName} ${p.lastName} (born ${birthDate(p.dateOfBirth)})`,
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
    chartPage(deps, kit, c, c.req.param('id'), { notice: chartNotices[c.req.query('notice') ?? ''] }),
  );
  app.post('/:id/invite', authorize('patients.write'), (c) => invitePatient(deps, kit, c));
  app.post('/:id/record', authorize('patients.write'), (c) => changeRecord(deps, kit, c));
  for (const archived of [true, false]) {
    app.post(`/:id/${archived ? 'archive' : 'unarchive'}`, authorize('patients.write'), (c) =>
      setArchived(deps, kit, c, archived),
    );
  }
  app.post('/:id/alerts', authorize('patients.write'), (c) => addAlert(deps, kit, c));
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
  staffPatientMergeRoutes(app, deps, kit);
  staffPatientEraseRoutes(app, deps, kit);
  return app;
}

const noPatientTyped: Omit<NewPatientValues, 'submission'> = {
  firstName: '',
  lastName: '',
  dateOfBirth: '',
  email: '',
  phone: '',
};

/** A refusal of "Add a patient" by field; what names no field of the form is said above it. */
function newPatientErrors(r: Refusal): NewPatientValues['errors'] {
  const errors: NonNullable<NewPatientValues['errors']> = {};
  const other: string[] = [];
  for (const [path, message] of Object.entries(r.fields)) {
    const field = newPatientFields.find((f) => f.name === path)?.name;
    if (field) errors[field] = message;
    else other.push(message);
  }
  if (other.length || !Object.keys(errors).length) errors.form = other.join(' ') || r.message;
  return errors;
}
