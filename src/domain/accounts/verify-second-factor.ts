import type { DbCtx } from '../../db/client.ts';
import { type Actor, systemActor } from '../audit/index.ts';
import {
  findStaffAccountById,
  lockStaffAccount,
  type StaffAccount,
  spendTotpStep,
  useRecoveryCode,
} from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { hashRecoveryCode } from './recovery-codes.ts';
import {
  clearSecondFactorFailures,
  countSecondFactorFailure,
  refuseWhileLocked,
} from './second-factor-lock.ts';
import { verifyTotp } from './totp.ts';
import { openTotpSecret } from './totp-secret.ts';

/**
 * Checks a second-factor code: a TOTP code (each time step works once) or an unused recovery
 * code. The step or the code is spent, and a wrong code counted (second-factor-lock.ts), in the
 * transaction that checks it, with the account's row locked. While codes are locked it throws
 * SecondFactorLocked without looking at the code.
 */
export async function verifySecondFactor(
  deps: Pick<AccountsDeps, 'db' | 'clock' | 'audit' | 'notify' | 'secrets'>,
  accountId: string,
  code: string,
  actor: Actor = systemActor,
): Promise<'totp' | 'recovery-code' | null> {
  return deps.db.tx(async (ctx) => {
    await lockStaffAccount(ctx, accountId);
    const account = await findStaffAccountById(ctx, accountId);
    const secret = account && openTotpSecret(deps.secrets, account);
    if (!account || !secret || !account.mfaEnrolledAt) return null;
    const now = deps.clock.now();
    refuseWhileLocked(account, now);
    const method = await spendCode(ctx, account, secret, code, now);
    if (method) await clearSecondFactorFailures(ctx, account);
    else await countSecondFactorFailure(deps, ctx, actor, account, now);
    return method;
  });
}

async function spendCode(
  ctx: DbCtx,
  account: StaffAccount,
  secret: string,
  code: string,
  now: Date,
): Promise<'totp' | 'recovery-code' | null> {
  const totp = verifyTotp({ secret, code, now, lastUsedStep: account.totpLastStep });
  if (totp.ok) {
    // Conditional: two concurrent requests with one code (PostgreSQL, READ COMMITTED) cannot both spend it.
    return (await spendTotpStep(ctx, account.id, totp.step)) ? 'totp' : null;
  }
  if (totp.reason !== 'malformed') return null;
  return (await useRecoveryCode(ctx, account.id, hashRecoveryCode(code), now)) ? 'recovery-code' : null;
}
