import type { Context } from 'hono';
import { Hono } from 'hono';
import { ExportSection, type ExportSectionView } from '../../../views/pages/staff/export-section.tsx';
import { can } from '../../domain/accounts/index.ts';
import { staffRequester } from '../api/exports.ts';
import { redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { clinicDateTime } from './clinic-time.ts';

/** What the chart says after "Export record". */
const exportNotices: Record<string, string> = {
  asked: 'The export is being built. Its download link appears here in a moment.',
};

const sizeOf = (bytes: number | null) =>
  bytes === null
    ? ''
    : bytes < 1024 * 1024
      ? `${Math.max(1, Math.round(bytes / 1024))} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The chart's export section: the member's own recent exports of this patient. */
export async function exportSection(
  deps: HttpDeps,
  c: Context<AppEnv>,
  patientId: string,
): Promise<ExportSectionView> {
  const [rows, clinic] = await Promise.all([
    deps.exports.listOf(staffRequester(c), patientId),
    deps.clinic.get(),
  ]);
  const local = (d: Date | null) => clinicDateTime(d, clinic.timeZone);
  const role = c.get('staff')!.account.role;
  return {
    patientId,
    scope: can(role, 'clinical.read')
      ? 'the whole record you may read (details, appointments, documents, forms and signed notes)'
      : 'what you may read of the record (details, appointments and non-clinical documents; no notes or form answers)',
    notice: exportNotices[c.req.query('export') ?? ''],
    rows: rows.map((r) => ({
      id: r.id,
      status: r.status,
      asked: local(r.createdAt),
      until: local(r.expiresAt),
      size: sizeOf(r.size),
    })),
  };
}

/** `/staff/patients/:id/export…`: "Export record" on the chart (patients.read), and its section for htmx. */
export function staffExportsRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  app.post('/:id/export', authorize('patients.read'), async (c) => {
    const id = c.req.param('id');
    await deps.exports.request(staffRequester(c), id);
    return redirect(c, `/staff/patients/${encodeURIComponent(id)}?export=asked#export`);
  });
  app.get('/:id/exports', authorize('patients.read'), async (c) =>
    c.html(ExportSection({ view: await exportSection(deps, c, c.req.param('id')), csrf: kit.nav(c).csrf })),
  );
  return app;
}
