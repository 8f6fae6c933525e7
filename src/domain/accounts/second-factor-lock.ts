import type { DbCtx } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import { secondFactorLockedMessage } from './accounts.messages.ts';
import { type StaffAccount, updateStaffAccount } from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';

/**
 * Wrong second-factor codes, counted on the account in the database (so a restart or another
 * instance does not start again from zero): the tenth within an hour locks codes for an hour.
 * A passkey still signs in meanwhile; an administrator's reset lifts the lock.
 */
export const MFA_MAX_FAILURES = 10;
const HOUR_MS = 3_600_000;

/** Codes are refused for `retryAfterMs` more: too many wrong ones. */
export class SecondFactorLocked extends AppError {
  readonly retryAfterMs: number;
  constructor(until: Date, now: Date) {
    const retryAfterMs = until.getTime() - now.getTime();
    const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
    super(
      'second_factor_locked',
      {
        text: `Too many wrong codes: codes are refused for the next ${minutes} minutes. Use a passkey, or ask an administrator to reset your second factor.`,
      },
      { status: 429 },
    );
    this.retryAfterMs = retryAfterMs;
  }
}

/** Throws SecondFactorLocked while the account's codes are locked. */
export function refuseWhileLocked(account: StaffAccount, now: Date): void {
  if (account.mfaLockedUntil && account.mfaLockedUntil > now)
    throw new SecondFactorLocked(account.mfaLockedUntil, now);
}

/** A right code: the count starts again. */
export async function clearSecondFactorFailures(ctx: DbCtx, account: StaffAccount): Promise<void> {
  if (account.mfaFailures === 0 && !account.mfaFailuresWindowStart) return;
  await updateStaffAccount(ctx, account.id, { mfaFailures: 0, mfaFailuresWindowStart: null });
}

/**
 * Counts a wrong code on the account (its row locked by the caller). The tenth within the hour
 * since the first locks codes for an hour; the lock is audited and the member emailed, in the
 * caller's transaction.
 */
export async function countSecondFactorFailure(
  deps: Pick<AccountsDeps, 'audit' | 'notify'>,
  ctx: DbCtx,
  actor: Actor,
  account: StaffAccount,
  now: Date,
): Promise<void> {
  const since = account.mfaFailuresWindowStart;
  const inWindow = since !== null && now.getTime() - since.getTime() < HOUR_MS;
  const failures = inWindow ? account.mfaFailures + 1 : 1;
  if (failures < MFA_MAX_FAILURES) {
    await updateStaffAccount(ctx, account.id, {
      mfaFailures: failures,
      mfaFailuresWindowStart: inWindow ? since : now,
    });
    return;
  }
  const until = new Date(now.getTime() + HOUR_MS);
  await updateStaffAccount(ctx, account.id, {
    mfaFailures: 0,
    mfaFailuresWindowStart: null,
    mfaLockedUntil: until,
  });
  await deps.audit.record(
    ctx,
    actor,
    accountEvent('staff.mfa-locked', account.id, { failures, until: until.toISOString() }),
  );
  await deps.notify?.dispatch(ctx, {
    type: secondFactorLockedMessage.type,
    to: { staffId: account.id },
    params: { accountId: account.id },
    key: `mfa-locked:${account.id}:${until.getTime()}`,
  });
}
