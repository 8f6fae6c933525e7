import { conflict } from '../../lib/errors.ts';
import { tokenId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import {
  findStaffAccountById,
  findStaffToken,
  type StaffAccount,
  updateStaffAccount,
  useStaffToken,
} from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { getStaffAccount } from './get-staff-account.ts';
import { hashValidPassword } from './password.ts';
import { deleteUnusedStaffLinks } from './staff-links.repo.ts';

/**
 * Sets a password with a one-time link — `set-password` (an invitation) or `reset-password` (a
 * forgotten password): the link is spent in the same transaction, with any other unused link of
 * the account, and every session of the account ends. A deactivated member's link sets nothing.
 * It signs no one in: the sign-in after it asks for the second factor as always.
 */
export async function setPasswordWithLink(
  deps: AccountsDeps,
  actor: Actor,
  token: string,
  password: string,
  purpose: 'set-password' | 'reset-password' = 'set-password',
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
    const used = await useStaffToken(ctx, tokenId(token), purpose, clock.now());
    const member = used?.accountId ? await findStaffAccountById(ctx, used.accountId) : null;
    if (!used?.accountId || member?.status !== 'active')
      throw conflict(
        purpose === 'reset-password'
          ? 'This link has been used or has expired. Ask for a new one from the sign-in page.'
          : 'This link has been used or has expired. Ask an administrator for a new one.',
        'link_invalid',
      );
    await deleteUnusedStaffLinks(ctx, used.accountId); // no other link may set it again
    const row = await updateStaffAccount(ctx, used.accountId, { passwordHash, updatedAt: clock.now() });
    await deps.audit.record(
      ctx,
      { ...actor, type: 'staff', id: used.accountId },
      accountEvent(
        purpose === 'reset-password' ? 'staff.password-reset' : 'staff.set-password',
        used.accountId,
      ),
    );
    return row!;
  });
  await deps.sessions.revokeAll(updated.id);
  return updated;
}
