import type { DbCtx } from '../../db/client.ts';
import { conflict } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import { deleteRecoveryCodes, insertRecoveryCodes } from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { getStaffAccount } from './get-staff-account.ts';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.ts';

/** Replaces the account's recovery codes in `ctx`'s transaction; returns the new ones (shown once). */
export async function replaceRecoveryCodes(ctx: DbCtx, now: Date, accountId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await deleteRecoveryCodes(ctx, accountId);
  await insertRecoveryCodes(ctx, accountId, codes.map(hashRecoveryCode), now);
  return codes;
}

/** New recovery codes (the old ones stop working); needs an enrolled second factor. */
export async function regenerateRecoveryCodes(
  deps: AccountsDeps,
  actor: Actor,
  accountId: string,
): Promise<string[]> {
  const account = await getStaffAccount(deps.db.reader, accountId);
  if (!account.mfaEnrolledAt) throw conflict('Set up a second factor first.', 'mfa_not_enrolled');
  return deps.db.tx(async (ctx) => {
    const codes = await replaceRecoveryCodes(ctx, deps.clock.now(), accountId);
    await deps.audit.record(ctx, actor, accountEvent('staff.recovery-codes', accountId));
    return codes;
  });
}
