import { z } from '@hono/zod-openapi';
import type { FamilyMember } from '../../../domain/patients/index.ts';
import { parseAddress } from '../../../lib/contact.ts';
import { apiOperations, apiRoute, createApi } from '../../kit/api.ts';
import type { RouteKit } from '../../routes.ts';
import type { HttpDeps } from '../../types.ts';
import { registeredPatientOf, registeredSessionOf } from '../actors.ts';
import { id, instant } from '../schemas.ts';

const member = z.object({
  id,
  firstName: z.string(),
  lastName: z.string(),
  since: instant,
  endsAt: instant.nullable().describe('When the link ends; null: no end set'),
});
const accessView = z.object({
  logins: z.array(
    z.object({
      address: z.string().describe('email:… or phone:…'),
      kind: z.enum(['email', 'phone']),
      value: z.string(),
      addedAt: instant,
      current: z
        .boolean()
        .describe('The address this session signed in with (it cannot be removed from here)'),
    }),
  ),
  guardians: z.array(member).describe('Who can book for me and read my appointments'),
  dependents: z.array(member).describe('Whom I book for'),
});
/** The patient app's view of who can get in (types only). */
export type AccessJson = z.infer<typeof accessView>;

const operations = apiOperations({ tags: ['Patient'], policy: 'patient' });
const view = operations.get('/', {
  summary: 'Who can get into my record: the addresses that sign in to it, my guardians and my dependants',
  ok: [accessView, 'Access'],
});
const revokeLogin = operations.delete('/logins/{address}', {
  summary: 'Remove an address that signs in to my record (not the one I am signed in with); its sessions end',
  params: z.object({ address: z.string().max(300).describe('email:… or phone:…, URL-encoded') }),
  noContent: 'Removed',
  conflicts: 'login_in_use: the address you are signed in with',
  refuses: [401, 403, 404],
});
const endGuardian = operations.delete('/guardians/{id}', {
  summary: 'End a guardian’s access to my record (adults only)',
  noContent: 'Ended',
});
const endDependent = operations.delete('/dependents/{id}', {
  summary: 'Stop booking for a dependant (my access to their record ends)',
  noContent: 'Ended',
});

const memberJson = (m: FamilyMember) => ({
  id: m.id,
  firstName: m.firstName,
  lastName: m.lastName,
  since: m.since.toISOString(),
  endsAt: m.endsAt?.toISOString() ?? null,
});

/**
 * `/api/v1/me/access`: the signed-in patient reviews who can get into their record and takes
 * access away: another address's login, a guardian's link (once an adult), a dependant's link.
 */
export function meAccessApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();

  app.openapi(apiRoute(kit, view), async (c) => {
    const { address: current, patientId } = registeredSessionOf(c);
    const access = await deps.patientAccess.view(registeredPatientOf(c), patientId);
    const logins = access.logins.flatMap((l) => {
      const parsed = parseAddress(l.address);
      if (!parsed) return [];
      const { kind, value } = parsed;
      return [
        { address: l.address, kind, value, addedAt: l.addedAt.toISOString(), current: l.address === current },
      ];
    });
    return c.json(
      { logins, guardians: access.guardians.map(memberJson), dependents: access.dependents.map(memberJson) },
      200,
    );
  });
  app.openapi(apiRoute(kit, revokeLogin), async (c) => {
    const { address: current, patientId } = registeredSessionOf(c);
    await deps.patientAccess.revokeLogin(
      registeredPatientOf(c),
      patientId,
      c.req.valid('param').address,
      current,
    );
    return c.body(null, 204);
  });
  app.openapi(apiRoute(kit, endGuardian), async (c) => {
    const me = registeredPatientOf(c);
    await deps.patientAccess.endGuardianLink(me, { guardianId: c.req.valid('param').id, dependentId: me.id });
    return c.body(null, 204);
  });
  app.openapi(apiRoute(kit, endDependent), async (c) => {
    const me = registeredPatientOf(c);
    await deps.patientAccess.endGuardianLink(me, { guardianId: me.id, dependentId: c.req.valid('param').id });
    return c.body(null, 204);
  });
  return app;
}
