import { conflict, validationFailed } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import { updateStaffAccount } from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { getStaffAccount } from './get-staff-account.ts';
import { replaceRecoveryCodes } from './recovery-code-store.ts';
import { newTotpSecret, verifyTotp } from './totp.ts';
import { openTotpSecret, sealTotpSecret } from './totp-secret.ts';

/**
 * Starts TOTP enrollment for one session: a new unconfirmed secret, or the one this same
 * session already has pending (a reload shows the same code). Another session — say, someone
 * who learnt the password — never sees a secret it did not create.
 */
export async function beginTotp(
  deps: AccountsDeps,
  actor: Actor,
  accountId: string,
  sessionId: string,
): Promise<string> {
  const account = await getStaffAccount(deps.db.reader, accountId);
  if (account.mfaEnrolledAt)
    throw conflict('A second factor is already set up. An administrator can reset it.', 'mfa_enrolled');
  const pending = openTotpSecret(deps.secrets, account);
  if (pending && account.totpPendingSession === sessionId) return pending;
  const secret = newTotpSecret();
  await deps.db.tx(async (ctx) => {
    await updateStaffAccount(ctx, accountId, {
      totpSecret: sealTotpSecret(deps.secrets, accountId, secret),
      totpLastStep: null,
      totpPendingSession: sessionId,
      updatedAt: deps.clock.now(),
    });
    // A new pending secret replaces any other: worth a line in the log (never the secret).
    await deps.audit.record(ctx, actor, accountEvent('staff.mfa-begin', accountId, { method: 'totp' }));
  });
  return secret;
}

/** Confirms enrollment with a first code; returns the recovery codes, shown once. */
export async function confirmTotp(
  deps: AccountsDeps,
  actor: Actor,
  accountId: string,
  code: string,
): Promise<string[]> {
  const { clock } = deps;
  const account = await getStaffAccount(deps.db.reader, accountId);
  const secret = openTotpSecret(deps.secrets, account);
  if (!secret || account.mfaEnrolledAt) throw conflict('Start the set-up again.', 'mfa_not_pending');
  const result = verifyTotp({ secret, code, now: clock.now(), lastUsedStep: null });
  if (!result.ok) {
    const message = 'That code is not right. Check the time on your phone and try the next code.';
    throw validationFailed([{ path: 'code', message }], message);
  }
  return deps.db.tx(async (ctx) => {
    const now = clock.now();
    await updateStaffAccount(ctx, accountId, {
      mfaEnrolledAt: now,
      totpLastStep: result.step,
      updatedAt: now,
    });
    const codes = await replaceRecoveryCodes(ctx, now, accountId);
    await deps.audit.record(ctx, actor, accountEvent('staff.mfa-enroll', accountId, { method: 'totp' }));
    return codes;
  });
}
