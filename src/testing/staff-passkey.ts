import type { TestApp } from './app.ts';

/**
 * A passkey on record for a staff member, named "Phone", with the id `cred-1` unless given. Its
 * key is never checked: for tests where nobody signs in with it (a factor the account has, one to
 * remove).
 */
export const staffPasskeyOnRecord = (app: TestApp, accountId: string, id = 'cred-1'): Promise<unknown> =>
  app.db.tx(({ db, t }) =>
    db.insert(t.staffPasskeys).values({
      id,
      accountId,
      publicKey: 'AA',
      counter: 0,
      name: 'Phone',
      createdAt: app.clock.now(),
    }),
  );
