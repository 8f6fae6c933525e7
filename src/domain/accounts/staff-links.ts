import { newSecretToken, tokenId } from '../../lib/ids.ts';
import { insertStaffToken, isStaffTokenLive, type LinkPurpose } from './accounts.repo.ts';
import type { AccountsDeps } from './accounts.service.ts';

/** How long a one-time link (first-run setup, set password) works. */
export const LINK_LIFETIME_MS = 24 * 60 * 60_000;

/**
 * A new one-time link's token (only its hash is stored), valid 24 h: `setup` for the first admin
 * (no account yet), `set-password` for an account.
 */
export async function issueStaffLink(
  deps: Pick<AccountsDeps, 'db' | 'clock'>,
  purpose: LinkPurpose,
  accountId: string | null,
): Promise<string> {
  const token = newSecretToken();
  const now = deps.clock.now();
  await deps.db.tx((ctx) =>
    insertStaffToken(ctx, {
      id: tokenId(token),
      purpose,
      accountId,
      expiresAt: new Date(now.getTime() + LINK_LIFETIME_MS),
      createdAt: now,
    }),
  );
  return token;
}

/** Whether the link is unused, unexpired and for `purpose` (changes nothing). */
export function isStaffLinkValid(
  deps: Pick<AccountsDeps, 'db' | 'clock'>,
  purpose: LinkPurpose,
  token: string,
): Promise<boolean> {
  return isStaffTokenLive(deps.db.reader, tokenId(token), purpose, deps.clock.now());
}
