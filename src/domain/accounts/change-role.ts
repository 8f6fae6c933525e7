import { notFound } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import { updateStaffAccount } from './accounts.repo.ts';
import type { StaffRole } from './accounts.schema.ts';
import type { AccountsDeps } from './accounts.service.ts';

/**
 * Admin: gives a member another role; their sessions end (a privilege change takes a new
 * sign-in), and what their access opened (a calendar feed) with them.
 */
export async function changeRole(
  deps: AccountsDeps,
  actor: Actor,
  accountId: string,
  role: StaffRole,
): Promise<void> {
  await deps.db.tx(async (ctx) => {
    if (!(await updateStaffAccount(ctx, accountId, { role, updatedAt: deps.clock.now() })))
      throw notFound('That staff member');
    await deps.audit.record(ctx, actor, accountEvent('staff.change-role', accountId, { role }));
    await deps.accessEnds?.run(ctx, actor, accountId, 'staff.change-role');
  });
  await deps.sessions.revokeAll(accountId); // a privilege change takes a new sign-in
}
