import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { conflict } from '../../lib/errors.ts';
import { insertAuthChallenge, takeAuthChallenge } from './passkeys.repo.ts';

/**
 * The WebAuthn mechanics every passkey owner shares (staff and patients), through
 * @simplewebauthn/server: options, verification, and the challenges — kept in the database,
 * single use, five minutes, bound to a purpose and an owner, so an answer cannot be replayed on
 * any instance. Passkeys are discoverable and require user verification (a PIN or biometric on
 * the device), so one counts as both factors.
 */
export interface RelyingParty {
  /** The site's host name (no port; WebAuthn refuses IP addresses). */
  id: string;
  /** The exact origin the browser reports, e.g. https://clinic.example or http://localhost:8080. */
  origin: string;
  name: string;
}

export type ChallengePurpose =
  | 'passkey-register'
  | 'passkey-sign-in'
  | 'patient-passkey-register'
  | 'patient-passkey-sign-in';

export interface StoredCredential {
  id: string;
  publicKey: string;
  counter: number;
  transports: string[] | null;
}

const CHALLENGE_MS = 5 * 60_000;
/** Loaded on first use: most starts never touch passkeys (start-up time, idle memory). */
const webauthn = () => import('@simplewebauthn/server');

export function webauthnCore(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const remember = (challenge: string, purpose: ChallengePurpose, ownerId: string | null) =>
    db.tx((ctx) =>
      insertAuthChallenge(ctx, {
        challenge,
        purpose,
        accountId: ownerId,
        expiresAt: new Date(clock.now().getTime() + CHALLENGE_MS),
        createdAt: clock.now(),
      }),
    );

  /** Spends a challenge: true only once, only unexpired, only for its purpose and owner. */
  const spend = (purpose: ChallengePurpose, ownerId: string | null) => async (challenge: string) => {
    const rows = await db.tx((ctx) => takeAuthChallenge(ctx, challenge, purpose, clock.now()));
    return rows.length === 1 && rows[0]!.accountId === ownerId;
  };

  return {
    async registrationOptions(
      rp: RelyingParty,
      user: { id: string; name: string; displayName: string },
      existingIds: string[],
      purpose: ChallengePurpose,
    ) {
      const options = await (await webauthn()).generateRegistrationOptions({
        rpName: rp.name,
        rpID: rp.id,
        userName: user.name,
        userDisplayName: user.displayName,
        userID: new TextEncoder().encode(user.id),
        attestationType: 'none',
        excludeCredentials: existingIds.map((id) => ({ id })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      });
      await remember(options.challenge, purpose, user.id);
      return options;
    },

    /** A verified new credential, ready to store; a clear 409 when the browser's answer is not. */
    async verifyRegistration(
      rp: RelyingParty,
      ownerId: string,
      response: RegistrationResponseJSON,
      purpose: ChallengePurpose,
    ): Promise<StoredCredential> {
      const result = await (await webauthn())
        .verifyRegistrationResponse({
          response,
          expectedChallenge: spend(purpose, ownerId),
          expectedOrigin: rp.origin,
          expectedRPID: rp.id,
          requireUserVerification: true,
        })
        .catch((e: Error) => {
          throw conflict({ key: 'passkey_not_added', params: { reason: e.message } }, 'passkey_invalid');
        });
      if (!result.verified || !result.registrationInfo)
        throw conflict('passkey_not_verified', 'passkey_invalid');
      const { credential } = result.registrationInfo;
      return {
        id: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? null,
      };
    },

    async authenticationOptions(rp: RelyingParty, purpose: ChallengePurpose) {
      const options = await (await webauthn()).generateAuthenticationOptions({
        rpID: rp.id,
        userVerification: 'required',
      });
      await remember(options.challenge, purpose, null);
      return options;
    },

    /** The credential's new signature counter when the answer is right, else null. */
    async verifyAuthentication(
      rp: RelyingParty,
      response: AuthenticationResponseJSON,
      credential: StoredCredential,
      purpose: ChallengePurpose,
    ): Promise<number | null> {
      const result = await (await webauthn())
        .verifyAuthenticationResponse({
          response,
          expectedChallenge: spend(purpose, null),
          expectedOrigin: rp.origin,
          expectedRPID: rp.id,
          credential: {
            id: credential.id,
            publicKey: new Uint8Array(Buffer.from(credential.publicKey, 'base64url')),
            counter: credential.counter,
            transports: (credential.transports ?? undefined) as never,
          },
          requireUserVerification: true,
        })
        .catch(() => null);
      return result?.verified ? result.authenticationInfo.newCounter : null;
    },
  };
}

export type WebauthnCore = ReturnType<typeof webauthnCore>;
