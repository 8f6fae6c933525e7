import { conflict } from '../../lib/errors.ts';
import { tokenId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import { findStaffToken, type StaffAccount, updateStaffAccount, useStaffToken } from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { getStaffAccount } from './get-staff-account.ts';
import { hashValidPassword } from './password.ts';
import { deleteUnusedStaffLinks } from './staff-links.repo.ts';

/**
 * Sets a password with a one-time link (an invitation, a reset by an admin): the link is spent
 * in the same transaction, with any other unused link of the account, and every session of the
 * account ends.
 */
export async function setPasswordWithLink(
  deps: AccountsDeps,
  actor: Actor,
  token: string,
  password: string,
): Promise<StaffAccount> {
  const { db, clock } = deps;
  // The password rules look at the member's email and name, when the link names a member.
  const accountId = (await findStaffToken(db.reader, tokenId(token)))?.accountId;
  const account = accountId ? await getStaffAccount(db.reader, accountId).catch(() => null) : null;
  const passwordHash = await hashValidPassword(
    password,
    { email: account?.email ?? '', name: account?.name ?? '' },
    deps.passwordCost,
  );
  const updated = await db.tx(async (ctx) => {
    const used = await useStaffToken(ctx, tokenId(token), 'set-password', clock.now());
    if (!used?.accountId)
      throw conflict(
        'This link has been used or has expired. Ask an administrator for a new one.',
        'link_invalid',
      );
    await deleteUnusedStaffLinks(ctx, used.accountId); // no other link may set it again
    const row = await updateStaffAccount(ctx, used.accountId, { passwordHash, updatedAt: clock.now() });
    await deps.audit.record(
      ctx,
      { ...actor, type: 'staff', id: used.accountId },
      accountEvent('staff.set-password', used.accountId),
    );
    return row!;
  });
  await deps.sessions.revokeAll(updated.id);
  return updated;
}
