import { Hono } from 'hono';
import type { FamilyRowView, PatientAccessView } from '../../../views/pages/staff/patient-access.tsx';
import type { PatientAccessView as Access, FamilyMember } from '../../domain/patients/index.ts';
import { parseAddress } from '../../lib/contact.ts';
import { readForm } from '../kit/form.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { clinicTime } from './clinic-time.ts';

/** The chart's "who can get in" tables from the domain's view, times in the clinic's zone. */
export function patientAccessView(patientId: string, access: Access, timeZone: string): PatientAccessView {
  const family =
    (as: 'guardian' | 'dependant') =>
    (m: FamilyMember): FamilyRowView => ({
      relativeId: m.id,
      name: `${m.firstName} ${m.lastName}`,
      since: clinicTime(m.since, timeZone),
      endsAt: m.endsAt ? clinicTime(m.endsAt, timeZone) : 'no end set',
      guardianId: as === 'guardian' ? m.id : patientId,
      dependentId: as === 'guardian' ? patientId : m.id,
    });
  return {
    patientId,
    logins: access.logins.map((l) => {
      const parsed = parseAddress(l.address);
      return {
        address: l.address,
        shown: parsed?.value ?? l.address,
        kind: parsed?.kind ?? '',
        addedAt: clinicTime(l.addedAt, timeZone),
      };
    }),
    guardians: access.guardians.map(family('guardian')),
    dependents: access.dependents.map(family('dependant')),
  };
}

/**
 * `/staff/patients/:id/…`: on a patient's chart, staff remove an address that signs in to the
 * record (its sessions end) and end a family link, now or from a day they give. Each audited by
 * the domain; back to the chart with a notice.
 */
export function staffPatientAccessRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  app.post('/:id/logins/remove', authorize('patients.write'), async (c) => {
    const id = c.req.param('id');
    const form = await readForm(c);
    await deps.patientAccess.revokeLogin(actorOf(c), id, form.text('address'));
    return redirect(c, `/staff/patients/${encodeURIComponent(id)}?notice=login-removed`);
  });
  app.post('/:id/family/end', authorize('patients.write'), async (c) => {
    const id = c.req.param('id');
    const form = await readForm(c);
    await deps.patientAccess.endGuardianLink(actorOf(c), {
      guardianId: form.text('guardianId'),
      dependentId: form.text('dependentId'),
      endsOn: form.optional('endsOn') || undefined,
    });
    return redirect(c, `/staff/patients/${encodeURIComponent(id)}?notice=link-ended`);
  });
  return app;
}
