import { conflict, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import { SEND_STAFF_INVITE } from './accounts.jobs.ts';
import { findStaffAccountByEmail, insertStaffAccount, type StaffAccount } from './accounts.repo.ts';
import { type CreateStaffInput, createStaffInput } from './accounts.schema.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { hashValidPassword } from './password.ts';

/**
 * Creates a staff account (the CLI, an admin), audited in the same transaction. Without a
 * password the member sets theirs through a link (`inviteStaff`).
 */
export async function createStaff(
  deps: AccountsDeps,
  actor: Actor,
  input: CreateStaffInput,
): Promise<StaffAccount> {
  const { email, name, role, password } = validated(createStaffInput, input);
  const passwordHash = await hashValidPassword(password, { email, name }, deps.passwordCost);
  return deps.db.tx(async (ctx) => {
    if (await findStaffAccountByEmail(ctx, email))
      throw conflict('A staff account with this email already exists.', 'email_taken');
    const now = deps.clock.now();
    const account = await insertStaffAccount(ctx, {
      id: newId(),
      email,
      name,
      role,
      status: 'active',
      passwordHash,
      createdAt: now,
      updatedAt: now,
    });
    await deps.audit.record(ctx, actor, accountEvent('staff.create', account.id, { role }));
    return account;
  });
}

/** Creates an account without a password and, in the same transaction, the job that emails the member a link. */
export async function inviteStaff(
  deps: AccountsDeps,
  actor: Actor,
  input: Omit<CreateStaffInput, 'password'>,
): Promise<StaffAccount> {
  return deps.db.tx(async (ctx) => {
    const account = await createStaff(deps, actor, input);
    await deps.queue?.enqueue(ctx, SEND_STAFF_INVITE, { accountId: account.id });
    return account;
  });
}
