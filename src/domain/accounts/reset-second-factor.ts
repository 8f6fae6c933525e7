import { notFound } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import { deleteRecoveryCodes, updateStaffAccount } from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { deleteStaffPasskeys } from './passkeys.repo.ts';

/** Admin: clears a lost second factor; the member sets up a new one at next sign-in. */
export async function resetSecondFactor(deps: AccountsDeps, actor: Actor, accountId: string): Promise<void> {
  await deps.db.tx(async (ctx) => {
    const cleared = await updateStaffAccount(ctx, accountId, {
      totpSecret: null,
      totpLastStep: null,
      mfaEnrolledAt: null,
      // A lost factor's lock goes with it: the new one starts with no failures.
      mfaFailures: 0,
      mfaFailuresWindowStart: null,
      mfaLockedUntil: null,
      updatedAt: deps.clock.now(),
    });
    if (!cleared) throw notFound('That staff member');
    await deleteRecoveryCodes(ctx, accountId);
    // Passkeys too: a lost phone's passkey must not keep signing in after the reset.
    await deleteStaffPasskeys(ctx, accountId);
    await deps.audit.record(ctx, actor, accountEvent('staff.mfa-reset', accountId));
  });
  await deps.sessions.revokeAll(accountId);
}
