import type { Actor } from '../audit/index.ts';
import { SEND_PASSWORD_RESET } from './accounts.jobs.ts';
import { findActiveStaffAccountByEmail } from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';

/**
 * "Forgot password?": when `email` is an active member's, the job that emails them a reset link
 * (made by the job, valid 1 h), in the same transaction as the audit row. Unknown addresses and
 * deactivated accounts get nothing, after the same work (a transaction and an audit row), so the
 * caller answers every address alike. The request names no account in the audit when there is none.
 */
export async function requestPasswordReset(deps: AccountsDeps, actor: Actor, email: string): Promise<void> {
  const address = email.trim().toLowerCase();
  await deps.db.tx(async (ctx) => {
    const account = address ? await findActiveStaffAccountByEmail(ctx, address) : null;
    if (account) await deps.queue?.enqueue(ctx, SEND_PASSWORD_RESET, { accountId: account.id });
    await deps.audit.record(ctx, actor, {
      action: 'staff.password-reset-request',
      entity: 'staff_account',
      entityId: account?.id ?? null,
      details: { known: Boolean(account) },
    });
  });
}
