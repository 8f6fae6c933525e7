import { Hono } from 'hono';
import { z } from 'zod';
import { AuditPage } from '../../../../views/pages/staff/admin/audit.tsx';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';

const fmt = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
const dateParam = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** `/staff/admin/audit`: who saw or changed what (filtered), and the check of the log's hash chain. */
export function staffAuditRoutes(deps: HttpDeps, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  app.get('/', kit.authorize('audit.read'), async (c) => {
    const q = (k: string) => c.req.query(k) ?? '';
    const from = dateParam.safeParse(q('from'));
    const to = dateParam.safeParse(q('to'));
    const staff = await deps.staff.accounts.list();
    const names = new Map(staff.map((s) => [s.id, s.name]));
    // Verifying reads the whole log: only when asked (the button), not on every visit.
    const [rows, verify] = await Promise.all([
      deps.audit.list({
        ...(q('patient') ? { patientId: q('patient') } : {}),
        ...(q('staff') ? { actorId: q('staff') } : {}),
        ...(from.success ? { from: new Date(`${from.data}T00:00:00Z`) } : {}),
        ...(to.success ? { to: new Date(new Date(`${to.data}T00:00:00Z`).getTime() + 86_400_000) } : {}),
        limit: 200,
      }),
      q('verify') ? deps.audit.verify() : null,
    ]);
    return c.html(
      AuditPage({
        nav: kit.nav(c),
        filter: { patient: q('patient'), staff: q('staff'), from: q('from'), to: q('to') },
        staffOptions: staff.map((s) => ({ id: s.id, name: s.name })),
        verify,
        rows: rows.map((r) => ({
          id: r.id,
          at: fmt(r.at),
          actor: r.actorType === 'staff' ? (names.get(r.actorId ?? '') ?? r.actorId ?? '') : r.actorType,
          action: r.action,
          entity: r.entityId ? `${r.entity} ${r.entityId.slice(0, 8)}` : r.entity,
          patientId: r.patientId ?? '',
          ip: r.ip ?? '',
        })),
      }),
    );
  });
  return app;
}
