import { and, eq, isNull } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { deleteWhere } from '../../db/rows.ts';

/**
 * Ending a member's one-time links (`staff_tokens`): an account has at most one unused link, so
 * a new link, or the use of one, ends the others. Making, finding and spending a link: accounts.repo.ts.
 */

/** Deletes every unused link of the account (used ones stay, as the record of their use); how many. */
export function deleteUnusedStaffLinks(ctx: DbCtx, accountId: string): Promise<number> {
  const k = ctx.t.staffTokens;
  return deleteWhere(ctx, k, and(eq(k.accountId, accountId), isNull(k.usedAt)));
}
