import type { AreaDeps } from '../area.ts';
import type { Actor } from '../audit/index.ts';
import { acceptInvite } from './accept-invite.ts';
import { invitePatient, issueInvite } from './invite-patient.ts';
import { hasRecordOnFile, linkRecord } from './link-record.ts';
import type { Patient } from './patients.repo.ts';
import type { PatientSession, PatientSignIn, SignedIn, SignInMeta } from './sign-in.ts';

export { acceptInviteInput, MAX_INVITE_TRIES } from './accept-invite.ts';
export { INVITE_TTL_MS } from './invite-patient.ts';
export { linkRecordInput } from './link-record.ts';

export interface InvitesDeps extends AreaDeps<'notify'> {
  signIn: PatientSignIn;
}

/**
 * Staff invite a patient who already has a record to the portal: an emailed link, opened with
 * the patient's date of birth as a second check (a mistyped address reaches a stranger, who still
 * cannot get in). Accepting makes the address a login for that record and signs in. The link is
 * made by the send job, never stored in clear; 5 wrong birth dates kill it.
 */
export function patientInvites(deps: InvitesDeps) {
  return {
    /** By email (the given one, else the record's), or by SMS when `phone` is given. */
    invite: (
      actor: Actor,
      patientId: string,
      input: { email?: string | undefined; phone?: string | undefined } = {},
    ): Promise<void> => invitePatient(deps, actor, patientId, input),

    /** The job's half: a fresh link (earlier unused ones for the patient stop working). */
    issue: (patientId: string, address: string): Promise<{ token: string; patient: Patient } | null> =>
      issueInvite(deps, patientId, address),

    accept: (input: unknown, meta: SignInMeta): Promise<SignedIn> => acceptInvite(deps, input, meta),

    /** Whether the signed-in, unregistered address is on exactly one record it may be linked to (link-record.ts). */
    hasRecordOnFile: (session: PatientSession): Promise<boolean> => hasRecordOnFile(deps, session),

    /** Links the session's address to the record it is on, after a date-of-birth check (link-record.ts). */
    linkRecord: (session: PatientSession, input: unknown, actor: Actor): Promise<Patient> =>
      linkRecord(deps, session, input, actor),
  };
}

export type PatientInvites = ReturnType<typeof patientInvites>;
