import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound, unauthorized } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { StaffAccount } from './sessions.ts';

/**
 * Staff passkeys (WebAuthn) through @simplewebauthn/server: added from the account page, then
 * usable for passwordless sign-in. Passkeys are discoverable and require user verification
 * (a PIN or biometric on the device), so one counts as both factors. Challenges live in the
 * database, single use, five minutes — an answer cannot be replayed, on any instance.
 */
export interface RelyingParty {
  /** The site's host name (no port; WebAuthn refuses IP addresses). */
  id: string;
  /** The exact origin the browser reports, e.g. https://clinic.example or http://localhost:8080. */
  origin: string;
  name: string;
}

const CHALLENGE_MS = 5 * 60_000;
/** Loaded on first use: most starts never touch passkeys (start-up time, idle memory). */
const webauthn = () => import('@simplewebauthn/server');
type Purpose = 'passkey-register' | 'passkey-sign-in';

export function staffPasskeys(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  const { staffPasskeys: passkeys, authChallenges: challenges, staffAccounts: accounts } = db.reader.t;

  const remember = (challenge: string, purpose: Purpose, accountId: string | null) =>
    db.tx(({ db: q }) =>
      q.insert(challenges).values({
        challenge,
        purpose,
        accountId,
        expiresAt: new Date(clock.now().getTime() + CHALLENGE_MS),
        createdAt: clock.now(),
      }),
    );

  /** Spends a challenge: true only once, only unexpired, only for its purpose and account. */
  const spend = (purpose: Purpose, accountId: string | null) => async (challenge: string) => {
    const rows = await db.tx(({ db: q }) =>
      q
        .delete(challenges)
        .where(
          and(
            eq(challenges.challenge, challenge),
            eq(challenges.purpose, purpose),
            gt(challenges.expiresAt, clock.now()),
          ),
        )
        .returning(),
    );
    return rows.length === 1 && rows[0]!.accountId === accountId;
  };

  return {
    list(accountId: string) {
      return db.reader.db
        .select()
        .from(passkeys)
        .where(eq(passkeys.accountId, accountId))
        .orderBy(passkeys.createdAt);
    },

    async registrationOptions(account: StaffAccount, rp: RelyingParty) {
      const existing = await db.reader.db
        .select({ id: passkeys.id })
        .from(passkeys)
        .where(eq(passkeys.accountId, account.id));
      const options = await (await webauthn()).generateRegistrationOptions({
        rpName: rp.name,
        rpID: rp.id,
        userName: account.email,
        userDisplayName: account.name,
        userID: new TextEncoder().encode(account.id),
        attestationType: 'none',
        excludeCredentials: existing.map((p) => ({ id: p.id })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      });
      await remember(options.challenge, 'passkey-register', account.id);
      return options;
    },

    async register(
      actor: Actor,
      account: StaffAccount,
      response: RegistrationResponseJSON,
      rp: RelyingParty,
      name: string,
    ) {
      const result = await (await webauthn())
        .verifyRegistrationResponse({
          response,
          expectedChallenge: spend('passkey-register', account.id),
          expectedOrigin: rp.origin,
          expectedRPID: rp.id,
          requireUserVerification: true,
        })
        .catch((e: Error) => {
          throw conflict(`The passkey could not be added (${e.message}).`, 'passkey_invalid');
        });
      if (!result.verified || !result.registrationInfo)
        throw conflict('The passkey could not be verified.', 'passkey_invalid');
      const { credential } = result.registrationInfo;
      await db.tx(async (ctx) => {
        await ctx.db.insert(passkeys).values({
          id: credential.id,
          accountId: account.id,
          publicKey: Buffer.from(credential.publicKey).toString('base64url'),
          counter: credential.counter,
          transports: credential.transports ?? null,
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
        const rows = await ctx.db
          .delete(passkeys)
          .where(and(eq(passkeys.id, passkeyId), eq(passkeys.accountId, accountId)))
          .returning({ id: passkeys.id });
        if (rows.length !== 1) throw notFound('That passkey');
        await audit.record(ctx, actor, {
          action: 'staff.passkey-remove',
          entity: 'staff_account',
          entityId: accountId,
        });
      });
    },

    async signInOptions(rp: RelyingParty) {
      const options = await (await webauthn()).generateAuthenticationOptions({
        rpID: rp.id,
        userVerification: 'required',
      });
      await remember(options.challenge, 'passkey-sign-in', null);
      return options;
    },

    /** Verifies a passkey sign-in; returns the active account it belongs to. */
    async signIn(response: AuthenticationResponseJSON, rp: RelyingParty): Promise<StaffAccount> {
      const [row] = await db.reader.db
        .select({ passkey: passkeys, account: accounts })
        .from(passkeys)
        .innerJoin(accounts, eq(accounts.id, passkeys.accountId))
        .where(eq(passkeys.id, String(response.id ?? '')));
      const refused = unauthorized(
        'That passkey is not registered here, or the sign-in expired. Try again or use your password.',
      );
      if (row?.account.status !== 'active') throw refused;
      const result = await (await webauthn())
        .verifyAuthenticationResponse({
          response,
          expectedChallenge: spend('passkey-sign-in', null),
          expectedOrigin: rp.origin,
          expectedRPID: rp.id,
          credential: {
            id: row.passkey.id,
            publicKey: new Uint8Array(Buffer.from(row.passkey.publicKey, 'base64url')),
            counter: row.passkey.counter,
            transports: (row.passkey.transports ?? undefined) as never,
          },
          requireUserVerification: true,
        })
        .catch(() => {
          throw refused;
        });
      if (!result.verified) throw refused;
      await db.tx(({ db: q }) =>
        q
          .update(passkeys)
          .set({ counter: result.authenticationInfo.newCounter, lastUsedAt: clock.now() })
          .where(eq(passkeys.id, row.passkey.id)),
      );
      return row.account;
    },
  };
}

export type StaffPasskeys = ReturnType<typeof staffPasskeys>;
