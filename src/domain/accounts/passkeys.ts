import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound, unauthorized } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { StaffAccount } from './accounts.repo.ts';
import {
  deleteStaffPasskey,
  findStaffPasskeyWithAccount,
  insertStaffPasskey,
  listStaffPasskeys,
  recordStaffPasskeyUse,
} from './passkeys.repo.ts';
import { type RelyingParty, webauthnCore } from './webauthn.ts';

/**
 * Staff passkeys (WebAuthn): added from the account page, then usable for passwordless sign-in.
 * The WebAuthn mechanics and challenges are shared with patients (webauthn.ts).
 */
export type { RelyingParty } from './webauthn.ts';

export function staffPasskeys(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  const core = webauthnCore({ db, clock });

  return {
    list(accountId: string) {
      return listStaffPasskeys(db.reader, accountId);
    },

    async registrationOptions(account: StaffAccount, rp: RelyingParty) {
      const existing = await listStaffPasskeys(db.reader, account.id);
      return core.registrationOptions(
        rp,
        { id: account.id, name: account.email, displayName: account.name },
        existing.map((p) => p.id),
        'passkey-register',
      );
    },

    async register(
      actor: Actor,
      account: StaffAccount,
      response: RegistrationResponseJSON,
      rp: RelyingParty,
      name: string,
    ) {
      const credential = await core.verifyRegistration(rp, account.id, response, 'passkey-register');
      await db.tx(async (ctx) => {
        await insertStaffPasskey(ctx, {
          ...credential,
          accountId: account.id,
          name: name.trim().slice(0, 80) || 'Passkey',
          createdAt: clock.now(),
        });
        await audit.record(ctx, actor, {
          action: 'staff.passkey-add',
          entity: 'staff_account',
          entityId: account.id,
        });
      });
    },

    async remove(actor: Actor, accountId: string, passkeyId: string) {
      await db.tx(async (ctx) => {
        if (!(await deleteStaffPasskey(ctx, accountId, passkeyId))) throw notFound('that_passkey');
        await audit.record(ctx, actor, {
          action: 'staff.passkey-remove',
          entity: 'staff_account',
          entityId: accountId,
        });
      });
    },

    signInOptions(rp: RelyingParty) {
      return core.authenticationOptions(rp, 'passkey-sign-in');
    },

    /** Verifies a passkey sign-in; returns the active account it belongs to. */
    async signIn(response: AuthenticationResponseJSON, rp: RelyingParty): Promise<StaffAccount> {
      const row = await findStaffPasskeyWithAccount(db.reader, String(response.id ?? ''));
      const refused = unauthorized(
        'That passkey is not registered here, or the sign-in expired. Try again or use your password.',
      );
      if (row?.account.status !== 'active') throw refused;
      const counter = await core.verifyAuthentication(rp, response, row.passkey, 'passkey-sign-in');
      if (counter === null) throw refused;
      await db.tx((ctx) => recordStaffPasskeyUse(ctx, row.passkey.id, counter, clock.now()));
      return row.account;
    },
  };
}

export type StaffPasskeys = ReturnType<typeof staffPasskeys>;
