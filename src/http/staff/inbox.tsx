import { Hono } from 'hono';
import { DateTime } from 'luxon';
import { InboxPage } from '../../../views/pages/staff/inbox.tsx';
import { can } from '../../domain/accounts/index.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { birthDate } from './clinic-time.ts';
import { deliveryRowView } from './delivery-row.ts';
import { documentsToReview } from './documents-view.tsx';
import { formsToReview } from './forms-view.ts';
import { notesToFinishView } from './today-notes.tsx';

/**
 * `/staff/inbox`: appointment requests awaiting approval, the waiting list, records registration
 * flagged as possible duplicates and failed messages —
 * each only for roles that may see it (practitioners: their own requests and waiting patients).
 */
export function staffInboxRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  app.get('/', authorize('staff'), async (c) => {
    const { account } = c.get('staff')!;
    const actor = actorOf(c);
    const own = account.role === 'practitioner';
    const clinic = await deps.clinic.get();
    const at = (d: Date, format: string) =>
      DateTime.fromJSDate(d, { zone: clinic.timeZone }).setLocale(clinic.locale).toFormat(format);
    const patientsToo = can(account.role, 'patients.read');
    const mayErase = can(account.role, 'patients.erase');
    const [
      requests,
      waiting,
      failed,
      practitioners,
      duplicates,
      documents,
      notesToFinish,
      forms,
      hidden,
      purgeDue,
    ] = await Promise.all([
      patientsToo
        ? deps.appointments.listRequested(actor, own ? { practitionerIds: [account.id] } : {})
        : undefined,
      patientsToo ? deps.waitlist.listWaiting(actor, own ? { practitionerId: account.id } : {}) : undefined,
      can(account.role, 'audit.read')
        ? deps.notifications.deliveries.list(actor, { status: 'failed', page: 1, pageSize: 10 })
        : undefined,
      deps.practitioners.list(),
      patientsToo ? deps.patients.possibleDuplicates(actor) : undefined,
      documentsToReview(deps, c, clinic.timeZone),
      notesToFinishView(deps, c, clinic),
      formsToReview(deps, c, clinic.timeZone),
      deps.patientErasure.restrictedIds(),
      mayErase ? deps.patientErasure.listPurgeDue() : undefined,
    ]);
    // Restricted records (GDPR art. 18) are left out of every list here.
    const shown = <R,>(rows: R[] | undefined, patientOf: (row: R) => string) =>
      rows?.filter((row) => !hidden.has(patientOf(row)));
    const nameOf = new Map(practitioners.map((p) => [p.accountId, p.profile?.displayName ?? p.name]));
    return c.html(
      InboxPage({
        nav: kit.nav(c),
        requests: shown(requests, (r) => r.appointment.patientId)?.map(
          ({ appointment: a, patient, service }) => ({
            id: a.id,
            when: at(a.startAt, 'ccc d LLL yyyy, HH:mm'),
            patient: `${patient.firstName} ${patient.lastName}`,
            practitioner: nameOf.get(a.practitionerId) ?? '—',
            service: service.name,
          }),
        ),
        waiting: shown(waiting, (w) => w.entry.patientId)?.map(({ entry: w, patient, service }) => ({
          patientId: w.patientId,
          patient: `${patient.firstName} ${patient.lastName}`,
          service: service.name,
          practitioner: w.practitionerId ? (nameOf.get(w.practitionerId) ?? '—') : 'anyone',
          dates: w.fromDate === w.toDate ? w.fromDate : `${w.fromDate} to ${w.toDate}`,
          since: at(w.createdAt, 'd LLL yyyy'),
          calendarHref: `/staff/calendar?${new URLSearchParams({
            view: 'week',
            date: w.fromDate,
            ...(w.practitionerId ? { practitioner: w.practitionerId } : {}),
          }).toString()}`,
        })),
        duplicates: duplicates?.map(({ record, onFile }) => ({
          id: record.id,
          name: `${record.firstName} ${record.lastName}`,
          dateOfBirth: birthDate(record.dateOfBirth),
          registered: at(record.createdAt, 'd LLL yyyy'),
          onFile: onFile && { id: onFile.id, name: `${onFile.firstName} ${onFile.lastName}` },
        })),
        documents: shown(documents, (d) => d.patientId),
        formsToReview: shown(forms, (f) => f.patientId),
        purgeDue: purgeDue?.map((p) => ({
          id: p.id,
          name: `${p.firstName} ${p.lastName}`,
          restricted: p.restrictedAt ? at(p.restrictedAt, 'd LLL yyyy') : '—',
          retainedUntil: p.retainUntil ? at(p.retainUntil, 'd LLL yyyy') : '—',
        })),
        notesToFinish,
        canChangePatients: can(account.role, 'patients.write'),
        canMerge: can(account.role, 'patients.merge'),
        notice:
          c.req.query('notice') === 'not-duplicate'
            ? 'The record is no longer listed as a possible duplicate.'
            : c.req.query('notice') === 'document-reviewed'
              ? 'Marked reviewed: the document stays on the chart.'
              : c.req.query('notice') === 'form-reviewed'
                ? 'Marked reviewed: the form stays on the chart.'
                : undefined,
        failed: failed && {
          total: failed.total,
          rows: failed.rows.map((d) => deliveryRowView(d, clinic.timeZone, true)),
        },
      }),
    );
  });
  return app;
}
