import { parseAddress } from '../../lib/contact.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { deletePatientLogin } from './access.repo.ts';
import { retireOpenInvitesTo } from './invites.repo.ts';
import type { AccessDeps } from './patient-access.ts';

/**
 * Removes one address's access to the patient's record, by staff or by the patient (not the
 * address they are signed in with, `inUse`): its login goes, its sessions end and an invitation
 * still open to it is retired (so it is not added back with an older link). Audited with the
 * kind of address, never the address.
 */
export async function revokeLogin(
  deps: AccessDeps,
  actor: Actor,
  patientId: string,
  address: string,
  inUse?: string,
): Promise<void> {
  if (address === inUse) throw conflict('login_in_use', 'login_in_use');
  await deps.db.tx(async (ctx) => {
    if (!(await deletePatientLogin(ctx, patientId, address))) throw notFound('that_login');
    const sessions = await deps.signIn.endSessions(ctx, { address });
    await retireOpenInvitesTo(ctx, patientId, address, deps.clock.now());
    await deps.audit.record(ctx, actor, {
      action: 'patient.revoke-login',
      entity: 'patient',
      entityId: patientId,
      patientId,
      details: { channel: parseAddress(address)?.kind ?? null, sessions },
    });
  });
}
