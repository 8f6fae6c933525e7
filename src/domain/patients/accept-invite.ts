import { z } from 'zod';
import { AppError, conflict, validated } from '../../lib/errors.ts';
import { tokenId } from '../../lib/ids.ts';
import { issueKey } from '../../lib/messages.ts';
import { findInviteWithPatient, updateInvite } from './invites.repo.ts';
import type { InvitesDeps } from './invites.ts';
import { tellLoginAdded } from './login-added.ts';
import { findLogin, insertLogin } from './sign-in.repo.ts';
import type { SignedIn, SignInMeta } from './sign-in.schema.ts';

export const MAX_INVITE_TRIES = 5;

export const acceptInviteInput = z.strictObject({
  token: z.string().regex(/^[\w-]{43}$/, issueKey('link_incomplete')),
  dateOfBirth: z.iso.date({ error: issueKey('own_date_of_birth_invalid') }),
});

/**
 * Opens an invitation with the patient's date of birth as a second check: right, the address
 * becomes a login for the record (the patient's other addresses are told) and a session
 * starts; wrong, counted against the link (5 kill it). One answer for every refusal.
 */
export async function acceptInvite(deps: InvitesDeps, input: unknown, meta: SignInMeta): Promise<SignedIn> {
  const parsed = validated(acceptInviteInput, input);
  const result = await deps.db.tx(async (ctx) => {
    const found = await findInviteWithPatient(ctx, tokenId(parsed.token));
    const now = deps.clock.now();
    if (
      !found ||
      found.invite.usedAt ||
      found.invite.expiresAt <= now ||
      found.invite.wrongTries >= MAX_INVITE_TRIES
    ) {
      return null;
    }
    const { invite, patient } = found;
    if (patient.dateOfBirth !== parsed.dateOfBirth) {
      await updateInvite(ctx, invite.tokenHash, { wrongTries: invite.wrongTries + 1 });
      await deps.audit.record(ctx, meta.actor, {
        action: 'patient.invite-failed',
        entity: 'patient',
        entityId: patient.id,
        patientId: patient.id,
      });
      return null;
    }
    const taken = await findLogin(ctx, invite.address);
    if (taken && taken.patientId !== patient.id) {
      throw conflict('address_taken', 'already_registered');
    }
    await updateInvite(ctx, invite.tokenHash, { usedAt: now });
    if (!taken) {
      await insertLogin(ctx, invite.address, patient.id, now);
      const self = { ...meta.actor, type: 'patient' as const, id: patient.id };
      await tellLoginAdded(deps, ctx, self, patient, invite.address);
    }
    return deps.signIn.startSession(ctx, invite.address, patient, meta);
  });
  if (!result) {
    throw new AppError('invite_invalid', 'invite_invalid', { status: 401 });
  }
  return result;
}
