import type { DbCtx } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { findStaffAccountById, type StaffAccount } from './accounts.repo.ts';

/** The account with this id, whatever its status. @throws not_found when there is none. */
export async function getStaffAccount(ctx: DbCtx, id: string): Promise<StaffAccount> {
  const account = await findStaffAccountById(ctx, id);
  if (!account) throw notFound('The staff account');
  return account;
}
