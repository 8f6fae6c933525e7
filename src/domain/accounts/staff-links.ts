import type { DbCtx } from '../../db/client.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { newSecretToken, tokenId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import {
  findStaffAccountById,
  insertStaffToken,
  isStaffTokenLive,
  type LinkPurpose,
} from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { deleteUnusedStaffLinks } from './staff-links.repo.ts';

/** How long a one-time link (first-run setup, set password) works. */
export const LINK_LIFETIME_MS = 24 * 60 * 60_000;
/** How long a forgotten-password link works: it replaces a password, so not long. */
export const RESET_LINK_LIFETIME_MS = 60 * 60_000;

/**
 * A new one-time link's token (only its hash is stored): `setup` for the first admin (no account
 * yet), `set-password` (an invitation, 24 h) or `reset-password` (forgotten password, 1 h) for an
 * account — the account's only link: any unused one before it stops working.
 */
export async function issueStaffLink(
  deps: Pick<AccountsDeps, 'db' | 'clock'>,
  purpose: LinkPurpose,
  accountId: string | null,
): Promise<string> {
  return deps.db.tx((ctx) => insertLink(ctx, deps, purpose, accountId));
}

async function insertLink(
  ctx: DbCtx,
  deps: Pick<AccountsDeps, 'clock'>,
  purpose: LinkPurpose,
  accountId: string | null,
): Promise<string> {
  const token = newSecretToken();
  const now = deps.clock.now();
  if (accountId) await deleteUnusedStaffLinks(ctx, accountId);
  const lifetime = purpose === 'reset-password' ? RESET_LINK_LIFETIME_MS : LINK_LIFETIME_MS;
  await insertStaffToken(ctx, {
    id: tokenId(token),
    purpose,
    accountId,
    expiresAt: new Date(now.getTime() + lifetime),
    createdAt: now,
  });
  return token;
}

/**
 * Admin: a new invitation link for a member who has not chosen a password yet (the emailed one
 * did not arrive), to hand over themselves; the emailed link stops working. Audited. Refused for
 * a member with a password: a link would let whoever holds it replace that password.
 */
export function issueInvitationLink(deps: AccountsDeps, actor: Actor, accountId: string): Promise<string> {
  return deps.db.tx(async (ctx) => {
    const account = await findStaffAccountById(ctx, accountId);
    if (!account) throw notFound('That staff member');
    if (account.passwordHash || account.status !== 'active')
      throw conflict(
        'This member has chosen a password (or is deactivated): there is no invitation to send again.',
        'not_invited',
      );
    const token = await insertLink(ctx, deps, 'set-password', accountId);
    await deps.audit.record(ctx, actor, accountEvent('staff.issue-link', accountId));
    return token;
  });
}

/** Whether the link is unused, unexpired and for `purpose` (changes nothing). */
export function isStaffLinkValid(
  deps: Pick<AccountsDeps, 'db' | 'clock'>,
  purpose: LinkPurpose,
  token: string,
): Promise<boolean> {
  return isStaffTokenLive(deps.db.reader, tokenId(token), purpose, deps.clock.now());
}
