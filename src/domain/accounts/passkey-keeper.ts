import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import type { Actor, AuditEvent, AuditService } from '../audit/index.ts';
import { type ChallengePurpose, type RelyingParty, type StoredCredential, webauthnCore } from './webauthn.ts';

/**
 * What staff and patients do alike with passkeys: ask for options, add one (verified, named,
 * audited in the transaction that stores it), remove one, verify a sign-in. Each kind of owner
 * says where its passkeys live (its own area's repository) and how a change is audited.
 */
export interface PasskeyOwners {
  /** The challenge purposes of adding a passkey and of signing in with one. */
  purposes: { register: ChallengePurpose; signIn: ChallengePurpose };
  insert(
    ctx: DbCtx,
    ownerId: string,
    passkey: StoredCredential & { name: string; createdAt: Date },
  ): Promise<void>;
  /** Deletes the owner's passkey with this id: false when the owner has no such passkey. */
  remove(ctx: DbCtx, ownerId: string, passkeyId: string): Promise<boolean>;
  /** The audit event of adding or removing one of the owner's passkeys. */
  audited(change: 'add' | 'remove', ownerId: string): AuditEvent;
}

export function passkeyKeeper(deps: { db: Db; clock: Clock; audit: AuditService }, owners: PasskeyOwners) {
  const { db, clock, audit } = deps;
  const core = webauthnCore({ db, clock });
  const { purposes } = owners;

  return {
    registrationOptions(
      rp: RelyingParty,
      user: { id: string; name: string; displayName: string },
      existingIds: string[],
    ) {
      return core.registrationOptions(rp, user, existingIds, purposes.register);
    },

    /** Verifies the browser's new credential, then stores it under `name` (or "Passkey"), audited. */
    async register(
      actor: Actor,
      ownerId: string,
      response: RegistrationResponseJSON,
      rp: RelyingParty,
      name: string,
    ): Promise<void> {
      const credential = await core.verifyRegistration(rp, ownerId, response, purposes.register);
      await db.tx(async (ctx) => {
        const named = { ...credential, name: name.trim().slice(0, 80) || 'Passkey', createdAt: clock.now() };
        await owners.insert(ctx, ownerId, named);
        await audit.record(ctx, actor, owners.audited('add', ownerId));
      });
    },

    async remove(actor: Actor, ownerId: string, passkeyId: string): Promise<void> {
      await db.tx(async (ctx) => {
        if (!(await owners.remove(ctx, ownerId, passkeyId))) throw notFound('that_passkey');
        await audit.record(ctx, actor, owners.audited('remove', ownerId));
      });
    },

    signInOptions(rp: RelyingParty) {
      return core.authenticationOptions(rp, purposes.signIn);
    },

    /** The passkey's new signature counter when the sign-in answer is right, else null. */
    verifySignIn(rp: RelyingParty, response: AuthenticationResponseJSON, passkey: StoredCredential) {
      return core.verifyAuthentication(rp, response, passkey, purposes.signIn);
    },
  };
}

export type PasskeyKeeper = ReturnType<typeof passkeyKeeper>;
