import type { DbCtx } from '../../db/client.ts';
import { forbidden, unauthorized, type Wording } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { can, type Permission } from './accounts.policy.ts';
import { findStaffMemberById } from './accounts.repo.ts';
import type { StaffRole } from './accounts.schema.ts';

/** A staff member acting now: the actor, with the role and name the database holds today. */
export interface ActingStaff {
  actor: Actor & { id: string };
  role: StaffRole;
  name: string;
}

/**
 * The acting staff member, read from the database now (so a use case called from anywhere keeps
 * its rule, whatever the route checked): patients, the system, unknown and inactive staff are
 * refused (401).
 */
export async function actingStaff(ctx: DbCtx, actor: Actor): Promise<ActingStaff> {
  if (actor.type !== 'staff' || !actor.id) throw unauthorized();
  const member = await findStaffMemberById(ctx, actor.id);
  if (member?.status !== 'active') throw unauthorized();
  return { actor: actor as Actor & { id: string }, role: member.role, name: member.name };
}

/** What a refusal by role says unless the area words it otherwise. */
export const roleRefusal = 'Your role does not allow this. Ask an administrator if you need it.';

/** Refuses (403) unless `role` has `permission`; `refusal` says why, in the area's words. */
export function refuseUnlessCan(
  role: StaffRole,
  permission: Permission,
  refusal: Wording = roleRefusal,
): void {
  if (!can(role, permission)) throw forbidden(refusal);
}

/** The acting staff member (as `actingStaff`), refused (403) unless their role has `permission`. */
export async function staffWhoCan(
  ctx: DbCtx,
  actor: Actor,
  permission: Permission,
  refusal: Wording = roleRefusal,
): Promise<ActingStaff> {
  const who = await actingStaff(ctx, actor);
  refuseUnlessCan(who.role, permission, refusal);
  return who;
}

/**
 * An area's staff checks, refusing a clinical permission in its own words (`clinical`) and any
 * other with `roleRefusal`: `assertCan(who, permission)` for a member already read, and
 * `staffWho(deps, actor, permission)` — the first step of a staff use case, as `staffWhoCan`.
 */
export function staffChecks(clinical: Wording) {
  const refusalOf = (permission: Permission): Wording =>
    permission.startsWith('clinical.') ? clinical : roleRefusal;
  return {
    assertCan(who: ActingStaff, permission: Permission): void {
      refuseUnlessCan(who.role, permission, refusalOf(permission));
    },
    staffWho(deps: { db: { reader: DbCtx } }, actor: Actor, permission: Permission): Promise<ActingStaff> {
      return staffWhoCan(deps.db.reader, actor, permission, refusalOf(permission));
    },
  };
}
