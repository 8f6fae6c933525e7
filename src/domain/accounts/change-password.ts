import { validationFailed } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import { updateStaffAccount } from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { getStaffAccount } from './get-staff-account.ts';
import { hashValidPassword, verifyPassword } from './password.ts';

/**
 * Changes one's own password after checking the current one. Ends every other session of
 * the account (a stolen session dies with the old password); the caller's stays.
 */
export async function changePassword(
  deps: AccountsDeps,
  actor: Actor,
  accountId: string,
  current: string,
  next: string,
  keepSessionId: string,
): Promise<void> {
  const account = await getStaffAccount(deps.db.reader, accountId);
  if (!account.passwordHash || !(await verifyPassword(current, account.passwordHash))) {
    const message = 'Your current password is not right.';
    throw validationFailed([{ path: 'current', message }], message);
  }
  const passwordHash = await hashValidPassword(next, account, deps.passwordCost);
  await deps.db.tx(async (ctx) => {
    await updateStaffAccount(ctx, accountId, { passwordHash, updatedAt: deps.clock.now() });
    await deps.audit.record(ctx, actor, accountEvent('staff.change-password', accountId));
  });
  for (const s of await deps.sessions.list(accountId))
    if (s.id !== keepSessionId) await deps.sessions.revoke(accountId, s.id);
}
