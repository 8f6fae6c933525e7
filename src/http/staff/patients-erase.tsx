/**
 * `/staff/patients/:id/erase`: erasing or restricting a record (issue 18 item 6), admins only
 * (`patients.erase`). The page is the confirmation screen: what an erase removes (the domain's dry
 * run, audited) and its button — or, for a record with clinical content, why not and the form to
 * restrict it instead; for a restricted record, lifting the restriction and (its retention ended)
 * the purge. A refusal shows the page again with why; nothing changed.
 */
import type { Context, Hono } from 'hono';
import { DateTime } from 'luxon';
import { EraseRecordPage } from '../../../views/pages/staff/patient-erase.tsx';
import type { AppError } from '../../lib/errors.ts';
import { readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { birthDate, clinicDate } from './clinic-time.ts';

const shownCodes = new Set([
  'validation_failed',
  'has_clinical_records',
  'already_restricted',
  'not_restricted',
  'retention_not_ended',
]);
const shown = (e: AppError) => shownCodes.has(e.code);

async function erasePage(
  deps: HttpDeps,
  kit: RouteKit,
  c: Context<AppEnv>,
  id: string,
  extra: { error?: string; status?: number; reason?: string } = {},
) {
  const clinic = await deps.clinic.get();
  const preview = await deps.patientErasure.preview(actorOf(c), id);
  const p = preview.patient;
  const day = (d: Date | null) => (d ? clinicDate(d, clinic.timeZone) : '—');
  const page = EraseRecordPage({
    nav: kit.nav(c),
    record: {
      id: p.id,
      name: `${p.firstName} ${p.lastName}`,
      dateOfBirth: birthDate(p.dateOfBirth),
      restricted: p.restrictedAt
        ? { since: day(p.restrictedAt), until: day(p.retainUntil), reason: p.restrictReason ?? '' }
        : undefined,
    },
    counts: preview.counts,
    refusal: preview.refusal,
    purgeable: preview.purgeable,
    reason: extra.reason,
    error: extra.error,
  });
  return c.html(page, (extra.status ?? 200) as 200);
}

/** Adds the erasure pages to the staff patients routes (`/staff/patients`). */
export function staffPatientEraseRoutes(app: Hono<AppEnv>, deps: HttpDeps, kit: RouteKit): void {
  const { authorize } = kit;
  const e = deps.patientErasure;
  app.get('/:id/erase', authorize('patients.erase'), (c) => erasePage(deps, kit, c, c.req.param('id')));

  /** Runs `act`, then back to the chart with `notice`; a refusal shows the page again with why. */
  const action =
    (act: (c: Context<AppEnv>, id: string) => Promise<unknown>, notice: string) =>
    async (c: Context<AppEnv>) => {
      const id = c.req.param('id')!;
      return orRerender(
        async () => {
          await act(c, id);
          return redirect(c, `/staff/patients/${encodeURIComponent(id)}?notice=${notice}`);
        },
        (refusal) => erasePage(deps, kit, c, id, { error: refusal.first, status: refusal.status }),
        shown,
      );
    };
  app.post(
    '/:id/erase',
    authorize('patients.erase'),
    action((c, id) => e.erase(actorOf(c), id), 'erased'),
  );
  app.post(
    '/:id/purge',
    authorize('patients.erase'),
    action((c, id) => e.purge(actorOf(c), id), 'erased'),
  );
  app.post(
    '/:id/unrestrict',
    authorize('patients.erase'),
    action((c, id) => e.unrestrict(actorOf(c), id), 'unrestricted'),
  );
  app.post('/:id/restrict', authorize('patients.erase'), async (c) => {
    const id = c.req.param('id');
    const reason = (await readForm(c)).text('reason');
    return orRerender(
      async () => {
        await e.restrict(actorOf(c), id, { reason });
        return redirect(c, `/staff/patients/${encodeURIComponent(id)}?notice=restricted`);
      },
      (refusal) => erasePage(deps, kit, c, id, { error: refusal.first, status: refusal.status, reason }),
      shown,
    );
  });
}
