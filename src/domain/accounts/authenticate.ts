import { findStaffAccountByEmail, type StaffAccount } from './accounts.repo.ts';
import { signInInput } from './accounts.schema.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';

/**
 * Checks email and password. Unknown accounts, deactivated accounts and wrong passwords all
 * answer null after the same scrypt work, so timing does not reveal which it was.
 */
export async function authenticateStaff(
  deps: Pick<AccountsDeps, 'db' | 'passwordCost'>,
  input: { email: string; password: string },
): Promise<StaffAccount | null> {
  const parsed = signInInput.safeParse(input);
  const email = parsed.success ? parsed.data.email : '';
  const account = email ? await findStaffAccountByEmail(deps.db.reader, email) : null;
  const hash = account?.passwordHash ?? (await dummyPasswordHash(deps.passwordCost));
  const ok = await verifyPassword(parsed.success ? parsed.data.password : '', hash);
  return ok && account?.passwordHash && account.status === 'active' ? account : null;
}
