import { notFound } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import { updateStaffAccount } from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';

/**
 * Admin: a member can no longer sign in (the account and its history stay); their sessions end,
 * and what their access opened (a calendar feed) with them.
 */
export async function deactivateStaff(deps: AccountsDeps, actor: Actor, accountId: string): Promise<void> {
  await deps.db.tx(async (ctx) => {
    if (!(await updateStaffAccount(ctx, accountId, { status: 'deactivated', updatedAt: deps.clock.now() })))
      throw notFound('That staff member');
    await deps.audit.record(ctx, actor, accountEvent('staff.deactivate', accountId));
    await deps.accessEnds?.run(ctx, actor, accountId, 'staff.deactivate');
  });
  await deps.sessions.revokeAll(accountId);
}
