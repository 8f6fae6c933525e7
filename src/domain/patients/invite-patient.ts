import { z } from 'zod';
import { e164, emailAddress, phoneAddress } from '../../lib/contact.ts';
import { conflict, issuesOf, notFound, validationFailed } from '../../lib/errors.ts';
import { newId, newSecretToken, tokenId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { insertInvite, retireOpenInvites } from './invites.repo.ts';
import type { InvitesDeps } from './invites.ts';
import { findPatientById, type Patient } from './patients.repo.ts';
import { findLogin } from './sign-in.repo.ts';

export const INVITE_TTL_MS = 7 * 86_400_000;

/** The address an invitation goes to: the phone when given, else the given email or the record's. */
function inviteAddress(
  patient: Patient,
  input: { email?: string | undefined; phone?: string | undefined },
): string {
  if (input.phone !== undefined) {
    const phone = e164.safeParse(input.phone);
    if (!phone.success) throw validationFailed([{ ...issuesOf(phone.error)[0]!, path: 'phone' }]);
    return phoneAddress(phone.data);
  }
  const email = z.email().safeParse(input.email ?? patient.email ?? '');
  if (!email.success)
    throw validationFailed([{ path: 'email', message: 'The patient needs an email address first.' }]);
  return emailAddress(email.data);
}

/**
 * Staff invite an active patient to the portal, by email (the given one, else the record's), or
 * by SMS when `phone` is given: the send job is queued with the audit row; it makes the link.
 */
export async function invitePatient(
  deps: InvitesDeps,
  actor: Actor,
  patientId: string,
  input: { email?: string | undefined; phone?: string | undefined },
): Promise<void> {
  const patient = await findPatientById(deps.db.reader, patientId);
  if (patient?.status !== 'active') throw notFound('that_patient');
  const address = inviteAddress(patient, input);
  await deps.db.tx(async (ctx) => {
    if (await findLogin(ctx, address))
      throw conflict('That address already signs in to the portal.', 'already_registered');
    await deps.notify.dispatch(ctx, {
      type: 'portal-invite',
      to: { address, patientId },
      params: { patientId, address },
      key: `invite:${newId()}`,
    });
    await deps.audit.record(ctx, actor, {
      action: 'patient.invite',
      entity: 'patient',
      entityId: patientId,
      patientId,
    });
  });
}

/** The job's half: a fresh link (earlier unused ones for the patient stop working). */
export async function issueInvite(
  deps: Pick<InvitesDeps, 'db' | 'clock'>,
  patientId: string,
  address: string,
): Promise<{ token: string; patient: Patient } | null> {
  return deps.db.tx(async (ctx) => {
    const patient = await findPatientById(ctx, patientId);
    if (patient?.status !== 'active') return null;
    const now = deps.clock.now();
    await retireOpenInvites(ctx, patientId, now);
    const token = newSecretToken();
    await insertInvite(ctx, {
      tokenHash: tokenId(token),
      patientId,
      address,
      wrongTries: 0,
      expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      usedAt: null,
      createdAt: now,
    });
    return { token, patient };
  });
}
