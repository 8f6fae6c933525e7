import { AppError } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { getStaffAccount } from './get-staff-account.ts';
import { verifyPassword } from './password.ts';
import type { StaffSession } from './sessions.repo.ts';
import { verifySecondFactor } from './verify-second-factor.ts';

/**
 * Step-up: changes to how a member signs in (recovery codes, a second factor, passkeys) need a
 * proof of who they are within the last 5 minutes, not only a session — a computer left signed
 * in, or a stolen cookie, must not be enough. A sign-in is a proof (password, single sign-on,
 * passkey, second factor: sessions start with `reauthenticated_at` set); so is confirming on the
 * "Confirm it's you" page with the password or a second-factor code.
 */
export const PROOF_LASTS_MS = 5 * 60_000;

/** What the member gives to confirm it is them. */
export type Proof = { password: string } | { code: string };

/** Whether the session's member proved who they are within the last 5 minutes. */
export function hasRecentProof(session: Pick<StaffSession, 'reauthenticatedAt'>, now: Date): boolean {
  const at = session.reauthenticatedAt;
  return at !== null && now.getTime() - at.getTime() <= PROOF_LASTS_MS;
}

/** The refusal of a change that needs a recent proof (the pages send the member to confirm it). */
export const reauthenticationRequired = () =>
  new AppError(
    'reauthentication_required',
    'Confirm it’s you first: open “Confirm it’s you” on your account page, then try again.',
    { status: 403 },
  );

/**
 * Checks the proof for the session's member; when right, the session counts as proven from now
 * (audited `staff.reauthenticate` in the same transaction) and answers how. A wrong one is audited
 * and answers null; a second-factor code is counted like any other (locked codes throw
 * SecondFactorLocked).
 */
export async function confirmIdentity(
  deps: AccountsDeps,
  actor: Actor,
  session: StaffSession,
  proof: Proof,
): Promise<'password' | 'totp' | 'recovery-code' | null> {
  const account = await getStaffAccount(deps.db.reader, session.accountId);
  let method: 'password' | 'totp' | 'recovery-code' | null;
  if ('password' in proof) {
    const right =
      account.passwordHash !== null && (await verifyPassword(proof.password, account.passwordHash));
    method = right ? 'password' : null;
  } else {
    method = await verifySecondFactor(deps, account.id, proof.code, actor);
  }
  if (!method) {
    const tried = 'password' in proof ? 'password' : 'code';
    await deps.audit.recordRead(
      actor,
      accountEvent('staff.reauthenticate-failed', account.id, { with: tried }),
    );
    return null;
  }
  await deps.db.tx(async (ctx) => {
    await deps.sessions.reauthenticated(ctx, session.id);
    await deps.audit.record(ctx, actor, accountEvent('staff.reauthenticate', account.id, { method }));
  });
  return method;
}
