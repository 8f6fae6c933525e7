import type { DbCtx } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import { newSecretToken, tokenId } from '../../lib/ids.ts';
import type { Patient } from './patients.repo.ts';
import { insertPatientSession } from './sign-in.repo.ts';
import type { PatientSession, SignedIn, SignInMeta } from './sign-in.schema.ts';
import type { SignInDeps } from './sign-in.ts';

/** A patient session lives 30 days from its last use. */
export const SESSION_TTL_MS = 30 * 86_400_000;

/** A new session for a verified address (its patient, or none yet), audited as a sign-in. */
export async function startPatientSession(
  deps: Pick<SignInDeps, 'clock' | 'audit'>,
  ctx: DbCtx,
  address: string,
  patient: Patient | null,
  meta: SignInMeta,
): Promise<SignedIn> {
  // A restricted record (issue 18: GDPR art. 18) is not signed into; every way in ends here.
  if (patient?.restrictedAt)
    throw new AppError('sign_in_refused', 'This record is restricted: please contact the clinic.', {
      status: 403,
    });
  const now = deps.clock.now();
  const token = newSecretToken();
  const session: PatientSession = {
    id: tokenId(token),
    address,
    patientId: patient?.id ?? null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  };
  await insertPatientSession(ctx, {
    ...session,
    lastSeenAt: now,
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 400) ?? null,
  });
  await deps.audit.record(
    ctx,
    { ...meta.actor, type: 'patient', id: patient?.id ?? null },
    {
      action: 'patient.sign-in',
      entity: 'patient',
      entityId: patient?.id ?? null,
      patientId: patient?.id ?? null,
    },
  );
  return { token, session, patient };
}
