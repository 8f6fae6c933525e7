import { findStaffAccountById, spendTotpStep, useRecoveryCode } from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { hashRecoveryCode } from './recovery-codes.ts';
import { verifyTotp } from './totp.ts';

/**
 * Checks a second-factor code: a TOTP code (each time step works once) or an unused recovery
 * code. The step or the code is spent in the same transaction that checks it.
 */
export async function verifySecondFactor(
  deps: Pick<AccountsDeps, 'db' | 'clock'>,
  accountId: string,
  code: string,
): Promise<'totp' | 'recovery-code' | null> {
  const { clock } = deps;
  return deps.db.tx(async (ctx) => {
    const account = await findStaffAccountById(ctx, accountId);
    if (!account?.totpSecret || !account.mfaEnrolledAt) return null;
    const totp = verifyTotp({
      secret: account.totpSecret,
      code,
      now: clock.now(),
      lastUsedStep: account.totpLastStep,
    });
    if (totp.ok) {
      // Conditional: two concurrent requests with one code (PostgreSQL, READ COMMITTED) cannot both spend it.
      return (await spendTotpStep(ctx, accountId, totp.step)) ? 'totp' : null;
    }
    if (totp.reason !== 'malformed') return null;
    return (await useRecoveryCode(ctx, accountId, hashRecoveryCode(code), clock.now()))
      ? 'recovery-code'
      : null;
  });
}
