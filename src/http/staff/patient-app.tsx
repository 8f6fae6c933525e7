import { Hono } from 'hono';
import { PatientAppPage } from '../../../views/pages/staff/patient-app.tsx';
import { qrSvg } from '../../lib/qr.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/** `/staff/patient-app`: the patient app's link and waiting-room poster, for any staff member to share or print. */
export function staffPatientAppRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  app.get('/', authorize('staff'), async (c) => {
    const base = deps.staff.baseUrl || new URL(c.req.url).origin;
    const url = `${base}/app/`;
    const clinic = await deps.clinic.get();
    return c.html(
      PatientAppPage({
        nav: kit.nav(c),
        clinicName: clinic.name,
        url,
        qrSvg: await qrSvg(url),
        guessed: !deps.staff.baseUrl,
      }),
    );
  });
  return app;
}
