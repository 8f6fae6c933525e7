/**
 * `/staff/patients/:id/merge`: merging another record of the same person into this one (issue
 * 17). Without `from`: pick the other record (search as you type, archived records too). With
 * `from`: the confirmation screen — both records side by side and the counts of what would move
 * (the domain's dry run, audited) — whose button posts the merge. A refusal (same record, already
 * merged, archived, a family link between them) shows the page again with why; nothing changed.
 */
import type { Context, Hono } from 'hono';
import { DateTime } from 'luxon';
import {
  MergeChoices,
  MergeConfirmPage,
  MergePickPage,
  type MergeRecordView,
} from '../../../views/pages/staff/patient-merge.tsx';
import type { Patient } from '../../domain/patients/index.ts';
import type { AppError } from '../../lib/errors.ts';
import { readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { birthDate, clinicDate } from './clinic-time.ts';
import { patientHeading } from './patients-record.tsx';

/** The refusals a merge screen shows (anything else goes to the one error handler). */
const mergeRefusals = new Set([
  'validation_failed',
  'not_found',
  'merge_same_record',
  'already_merged',
  'merge_target_archived',
  'merge_family_link',
]);
const shown = (e: AppError) => mergeRefusals.has(e.code);

function recordView(p: Patient, timeZone: string): MergeRecordView {
  return {
    ...patientHeading(p),
    address: (p.address ?? '').replaceAll('\n', ', '),
    status: p.mergedInto ? 'merged' : p.status,
    created: clinicDate(p.createdAt, timeZone),
  };
}

/** The pick page (or, for htmx, only its results): other records matching `q`, archived ones too. */
async function pickPage(
  deps: HttpDeps,
  kit: RouteKit,
  c: Context<AppEnv>,
  id: string,
  extra: { error?: string; status?: number } = {},
) {
  const actor = actorOf(c);
  const keep = await deps.patients.get(actor, id);
  const query = (c.req.query('q') ?? '').slice(0, 200);
  const found =
    query.trim().length >= 2
      ? await deps.patients.browse(actor, { query, pageSize: 20, includeArchived: true })
      : { rows: [] as Patient[] };
  const rows = found.rows
    .filter((p) => p.id !== id && !p.mergedInto)
    .map((p) => ({
      id: p.id,
      name: `${p.firstName} ${p.lastName}`,
      dateOfBirth: birthDate(p.dateOfBirth),
      email: p.email ?? '',
      archived: p.status === 'archived',
    }));
  if (c.req.header('hx-request')) return c.html(<MergeChoices keepId={id} query={query} rows={rows} />);
  const props = { keep: { id, name: `${keep.firstName} ${keep.lastName}` }, query, rows, error: extra.error };
  return c.html(MergePickPage({ nav: kit.nav(c), ...props }), (extra.status ?? 200) as 200);
}

/** The confirmation screen for merging `from` into `id`; a refusal shows the pick page with why. */
async function confirmPage(
  deps: HttpDeps,
  kit: RouteKit,
  c: Context<AppEnv>,
  id: string,
  from: string,
  extra: { error?: string; status?: number } = {},
) {
  const clinic = await deps.clinic.get();
  return orRerender(
    async () => {
      const preview = await deps.patientMerge.preview(actorOf(c), id, { fromPatientId: from });
      const page = MergeConfirmPage({
        nav: kit.nav(c),
        keep: recordView(preview.to, clinic.timeZone),
        from: recordView(preview.from, clinic.timeZone),
        counts: preview.counts,
        error: extra.error,
      });
      return c.html(page, (extra.status ?? 200) as 200);
    },
    (refusal) => pickPage(deps, kit, c, id, { error: refusal.first, status: refusal.status }),
    shown,
  );
}

/** Adds the merge pages to the staff patients routes (`/staff/patients`). */
export function staffPatientMergeRoutes(app: Hono<AppEnv>, deps: HttpDeps, kit: RouteKit): void {
  const { authorize } = kit;
  app.get('/:id/merge', authorize('patients.merge'), (c) => {
    const id = c.req.param('id');
    const from = c.req.query('from');
    return from ? confirmPage(deps, kit, c, id, from) : pickPage(deps, kit, c, id);
  });
  app.post('/:id/merge', authorize('patients.merge'), async (c) => {
    const id = c.req.param('id');
    const from = (await readForm(c)).text('fromPatientId');
    return orRerender(
      async () => {
        await deps.patientMerge.merge(actorOf(c), id, { fromPatientId: from });
        return redirect(c, `/staff/patients/${encodeURIComponent(id)}?notice=merged`);
      },
      (refusal) =>
        from && refusal.error.code !== 'validation_failed'
          ? confirmPage(deps, kit, c, id, from, { error: refusal.first, status: refusal.status })
          : pickPage(deps, kit, c, id, { error: refusal.first, status: refusal.status }),
      shown,
    );
  });
}
