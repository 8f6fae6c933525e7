import { z } from 'zod';
import type { DbCtx } from '../../db/client.ts';
import { parseAddress } from '../../lib/contact.ts';
import { AppError, conflict, fieldIssue, validated, validationFailed } from '../../lib/errors.ts';
import { tokenId } from '../../lib/ids.ts';
import { issueKey } from '../../lib/messages.ts';
import type { Actor } from '../audit/index.ts';
import { MAX_INVITE_TRIES } from './accept-invite.ts';
import { INVITE_TTL_MS } from './invite-patient.ts';
import { findInviteWithPatient, type InviteRow, insertInvite, updateInvite } from './invites.repo.ts';
import type { InvitesDeps } from './invites.ts';
import { tellLoginAdded } from './login-added.ts';
import { lockPatient, type Patient } from './patients.repo.ts';
import { findLogin, insertLogin, listActivePatientsWithContact } from './sign-in.repo.ts';
import type { PatientSession } from './sign-in.schema.ts';

/*
 * A patient already on file who signs in with the email (or phone) on their record: instead of
 * registering again (a duplicate record), the verified address is linked to that record after a
 * date-of-birth check — what a staff invitation does, made by the sign-in itself. Only when the
 * address is on exactly one active record (a family sharing one email is left to staff). The
 * wrong tries are kept in an invitation row of its own for the record and address (its hash is
 * of no token anyone holds, so it opens nothing else): 5 wrong dates of birth close this way in
 * for good; a staff invitation sent later retires it, the newest invitation being the one that
 * works, as does removing the address from the record once linked.
 */

export const linkRecordInput = z.strictObject({
  dateOfBirth: z.iso.date({ error: issueKey('own_date_of_birth_invalid') }),
});

/** The hash the link's row is kept under: of the record and the address, not of a token. */
const linkRowHash = (patientId: string, address: string) => tokenId(`record-link\n${patientId}\n${address}`);

/** The one active record the session's address is on, with its link row; null when none is open to linking. */
async function linkableRecord(
  ctx: DbCtx,
  session: PatientSession,
): Promise<{ patient: Patient; row: InviteRow | null } | null> {
  if (session.patientId) return null;
  const contact = parseAddress(session.address);
  if (!contact || (await findLogin(ctx, session.address))) return null;
  const records = await listActivePatientsWithContact(ctx, contact);
  if (records.length !== 1) return null;
  const patient = records[0]!;
  const row = (await findInviteWithPatient(ctx, linkRowHash(patient.id, session.address)))?.invite ?? null;
  if (row && (row.usedAt || row.wrongTries >= MAX_INVITE_TRIES)) return null;
  return { patient, row };
}

/** Whether the session's address is on exactly one record it may still be linked to (nothing else is said). */
export async function hasRecordOnFile(deps: InvitesDeps, session: PatientSession): Promise<boolean> {
  return Boolean(await linkableRecord(deps.db.reader, session));
}

/**
 * Links the session's verified address to the record it is on when `dateOfBirth` is the
 * record's: the address becomes a login of it (the patient's other addresses are told), the
 * session is the patient's. A wrong date is counted (5 close the way) and audited; 422 on the
 * field, saying how many tries are left. 404 when no record is open to linking.
 */
export async function linkRecord(
  deps: InvitesDeps,
  session: PatientSession,
  input: unknown,
  actor: Actor,
): Promise<Patient> {
  const { dateOfBirth } = validated(linkRecordInput, input);
  const outcome = await deps.db.tx(async (ctx) => {
    const seen = await linkableRecord(ctx, session);
    if (!seen) return null;
    // One try at a time per record (PostgreSQL): parallel wrong dates are each counted, and
    // parallel right ones link once. Read again under the lock.
    await lockPatient(ctx, seen.patient.id);
    const found = await linkableRecord(ctx, session);
    if (!found) return null;
    const { patient } = found;
    const now = deps.clock.now();
    const hash = linkRowHash(patient.id, session.address);
    let row = found.row;
    if (!row) {
      row = {
        tokenHash: hash,
        patientId: patient.id,
        address: session.address,
        wrongTries: 0,
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
        usedAt: null,
        createdAt: now,
      };
      await insertInvite(ctx, row);
    }
    const about = { entity: 'patient', entityId: patient.id, patientId: patient.id } as const;
    if (patient.dateOfBirth !== dateOfBirth) {
      const wrongTries = row.wrongTries + 1;
      await updateInvite(ctx, hash, { wrongTries });
      await deps.audit.record(ctx, actor, { action: 'patient.link-record-failed', ...about });
      return { patient: null, triesLeft: MAX_INVITE_TRIES - wrongTries };
    }
    if (await findLogin(ctx, session.address)) throw conflict('address_taken', 'already_registered');
    await updateInvite(ctx, hash, { usedAt: now });
    await insertLogin(ctx, session.address, patient.id, now);
    await deps.signIn.attach(ctx, session.id, patient.id);
    const self: Actor = { ...actor, type: 'patient', id: patient.id };
    await deps.audit.record(ctx, self, { action: 'patient.link-record', ...about });
    await tellLoginAdded(deps, ctx, self, patient, session.address);
    return { patient, triesLeft: undefined };
  });
  if (!outcome) throw new AppError('not_found', 'no_record_on_file', { status: 404 });
  if (outcome.triesLeft !== undefined) {
    throw validationFailed([
      fieldIssue(
        'dateOfBirth',
        outcome.triesLeft > 0
          ? { key: 'date_of_birth_not_on_record', params: { tries: outcome.triesLeft } }
          : 'record_link_closed',
      ),
    ]);
  }
  return outcome.patient!;
}
