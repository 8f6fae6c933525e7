import { conflict, validated, validationFailed } from '../../lib/errors.ts';
import { newId, tokenId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import {
  findStaffAccountByEmail,
  hasActiveAdmin,
  insertStaffAccount,
  type StaffAccount,
  useStaffToken,
} from './accounts.repo.ts';
import { setupInput } from './accounts.schema.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { hashValidPassword } from './password.ts';

/** First-run: the setup link creates an admin. Refused while an active admin exists. */
export async function completeSetup(
  deps: AccountsDeps,
  actor: Actor,
  token: string,
  input: { email: string; name: string; password: string },
): Promise<StaffAccount> {
  const data = validated(setupInput, input);
  const passwordHash = await hashValidPassword(data.password, data, deps.passwordCost);
  return deps.db.tx(async (ctx) => {
    // The same rule as hasAdmin (serve's setup link, the GET page): an active admin.
    if (
      (await hasActiveAdmin(ctx)) ||
      !(await useStaffToken(ctx, tokenId(token), 'setup', deps.clock.now()))
    ) {
      throw conflict(
        'This setup link has been used or has expired. Ask your administrator, or run clinicbox admin create.',
        'link_invalid',
      );
    }
    if (await findStaffAccountByEmail(ctx, data.email)) {
      const message = 'A (deactivated) staff account already uses this email. Use another one.';
      throw validationFailed([{ path: 'email', message }], message);
    }
    const now = deps.clock.now();
    const account = await insertStaffAccount(ctx, {
      id: newId(),
      email: data.email,
      name: data.name,
      role: 'admin',
      status: 'active',
      passwordHash,
      createdAt: now,
      updatedAt: now,
    });
    await deps.audit.record(ctx, actor, accountEvent('staff.setup-admin', account.id, { role: 'admin' }));
    return account;
  });
}
