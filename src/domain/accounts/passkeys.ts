import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { unauthorized } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import type { StaffAccount } from './accounts.repo.ts';
import { passkeyKeeper } from './passkey-keeper.ts';
import {
  deleteStaffPasskey,
  findStaffPasskeyWithAccount,
  insertStaffPasskey,
  listStaffPasskeys,
  recordStaffPasskeyUse,
} from './passkeys.repo.ts';
import type { RelyingParty } from './webauthn.ts';

/**
 * Staff passkeys (WebAuthn): added from the account page, then usable for passwordless sign-in.
 * What staff and patients do alike is passkey-keeper.ts's.
 */
export type { RelyingParty } from './webauthn.ts';

export function staffPasskeys(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock } = deps;
  const keeper = passkeyKeeper(deps, {
    purposes: { register: 'passkey-register', signIn: 'passkey-sign-in' },
    insert: (ctx, accountId, passkey) => insertStaffPasskey(ctx, { ...passkey, accountId }),
    remove: deleteStaffPasskey,
    audited: (change, accountId) => accountEvent(`staff.passkey-${change}`, accountId),
  });

  return {
    list(accountId: string) {
      return listStaffPasskeys(db.reader, accountId);
    },

    async registrationOptions(account: StaffAccount, rp: RelyingParty) {
      const existing = await listStaffPasskeys(db.reader, account.id);
      return keeper.registrationOptions(
        rp,
        { id: account.id, name: account.email, displayName: account.name },
        existing.map((p) => p.id),
      );
    },

    register(
      actor: Actor,
      account: StaffAccount,
      response: RegistrationResponseJSON,
      rp: RelyingParty,
      name: string,
    ): Promise<void> {
      return keeper.register(actor, account.id, response, rp, name);
    },

    remove: keeper.remove,

    signInOptions: keeper.signInOptions,

    /** Verifies a passkey sign-in; returns the active account it belongs to. */
    async signIn(response: AuthenticationResponseJSON, rp: RelyingParty): Promise<StaffAccount> {
      const row = await findStaffPasskeyWithAccount(db.reader, String(response.id ?? ''));
      const refused = unauthorized(
        'That passkey is not registered here, or the sign-in expired. Try again or use your password.',
      );
      if (row?.account.status !== 'active') throw refused;
      const counter = await keeper.verifySignIn(rp, response, row.passkey);
      if (counter === null) throw refused;
      await db.tx((ctx) => recordStaffPasskeyUse(ctx, row.passkey.id, counter, clock.now()));
      return row.account;
    },
  };
}

export type StaffPasskeys = ReturnType<typeof staffPasskeys>;
