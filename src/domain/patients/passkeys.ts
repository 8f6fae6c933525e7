import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { passkeyKeeper, type RelyingParty } from '../accounts/index.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import {
  deletePatientPasskey,
  findPasskeyForSignIn,
  insertPatientPasskey,
  listPatientPasskeys,
  recordPatientPasskeyUse,
} from './passkeys.repo.ts';
import { findPatientById } from './patients.repo.ts';
import type { PatientSession, PatientSignIn, SignedIn, SignInMeta } from './sign-in.ts';

/** Adding a lasting credential needs a recent sign-in (an unlocked phone left on a desk is not enough). */
export const FRESH_SIGN_IN_MS = 15 * 60_000;

/**
 * Patient passkeys (WebAuthn; what staff and patients do alike is accounts' passkeyKeeper): a
 * signed-in patient adds one within 15 minutes of signing in with a code, then signs in with it alone.
 */
export function patientPasskeys(deps: { db: Db; clock: Clock; audit: AuditService; signIn: PatientSignIn }) {
  const { db, clock, signIn } = deps;
  const keeper = passkeyKeeper(deps, {
    purposes: { register: 'patient-passkey-register', signIn: 'patient-passkey-sign-in' },
    insert: (ctx, patientId, passkey) => insertPatientPasskey(ctx, { ...passkey, patientId }),
    remove: deletePatientPasskey,
    audited: (change, patientId) => ({
      action: `patient.passkey-${change}`,
      entity: 'patient',
      entityId: patientId,
      patientId,
    }),
  });

  const fresh = (session: PatientSession) => {
    if (clock.now().getTime() - session.createdAt.getTime() > FRESH_SIGN_IN_MS) {
      throw new AppError('fresh_sign_in_required', 'passkey_needs_fresh_sign_in', { status: 403 });
    }
  };

  return {
    list(patientId: string) {
      return listPatientPasskeys(db.reader, patientId);
    },

    async registrationOptions(session: PatientSession & { patientId: string }, rp: RelyingParty) {
      fresh(session);
      const patient = await findPatientById(db.reader, session.patientId);
      if (!patient) throw notFound('that_patient');
      const existing = await this.list(session.patientId);
      return keeper.registrationOptions(
        rp,
        {
          id: patient.id,
          name: session.address.replace(/^email:/, ''),
          displayName: `${patient.firstName} ${patient.lastName}`,
        },
        existing.map((p) => p.id),
      );
    },

    async register(
      actor: Actor,
      session: PatientSession & { patientId: string },
      response: RegistrationResponseJSON,
      rp: RelyingParty,
      name: string,
    ): Promise<void> {
      fresh(session);
      await keeper.register(actor, session.patientId, response, rp, name);
    },

    remove: keeper.remove,

    signInOptions: keeper.signInOptions,

    /** Signs in with a passkey: a session for its patient (under their sign-in address). */
    async signInWith(
      response: AuthenticationResponseJSON,
      rp: RelyingParty,
      meta: SignInMeta,
    ): Promise<SignedIn> {
      const row = await findPasskeyForSignIn(db.reader, String(response.id ?? ''));
      const refused = new AppError('passkey_invalid', 'passkey_unknown', { status: 401 });
      if (row?.patient.status !== 'active') throw refused;
      const counter = await keeper.verifySignIn(rp, response, row.passkey);
      if (counter === null) throw refused;
      return db.tx(async (ctx) => {
        await recordPatientPasskeyUse(ctx, row.passkey.id, counter, clock.now());
        return signIn.startSession(ctx, row.address, row.patient, meta);
      });
    },
  };
}

export type PatientPasskeys = ReturnType<typeof patientPasskeys>;
