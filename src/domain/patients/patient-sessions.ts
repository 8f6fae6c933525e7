import type { DbCtx } from '../../db/client.ts';
import { createCache } from '../../lib/cache.ts';
import { tokenId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { deletePatientSessions } from './access.repo.ts';
import {
  deleteAddressSessions,
  deleteEndedPatientSessions,
  deletePatientSession,
  findLogin,
  findPatientSession,
  setSessionPatient,
  slidePatientSession,
} from './sign-in.repo.ts';
import type { PatientSession } from './sign-in.schema.ts';
import type { SignInDeps } from './sign-in.ts';
import { HOUR } from './sign-in-codes.ts';
import { SESSION_TTL_MS } from './start-patient-session.ts';

/**
 * Patient sessions once started: validation (cached per instance for a few seconds), sliding
 * expiry, sign-out. Part of the patient sign-in service's surface (spread into it).
 */
export function patientSessionStore(deps: Pick<SignInDeps, 'db' | 'clock' | 'audit'>) {
  const { db, clock } = deps;
  const sessionCache = createCache<PatientSession>('patient-sessions', {
    max: 10_000,
    ttlMs: 5_000,
    bus: db.cacheBus,
  });

  /**
   * Ends, in the caller's transaction, every session of the patient (whichever address opened
   * it) or of one address; each leaves this instance's cache once that commits.
   */
  const endSessions = async (
    ctx: DbCtx,
    of: { patientId: string } | { address: string },
  ): Promise<number> => {
    const ids =
      'patientId' in of
        ? await deletePatientSessions(ctx, of.patientId)
        : await deleteAddressSessions(ctx, of.address);
    ctx.afterCommit(() => {
      for (const id of ids) sessionCache.delete(id);
    });
    return ids.length;
  };

  return {
    /** The live session for a cookie token, sliding: used within 30 days, it lives 30 more. */
    async validate(token: string): Promise<PatientSession | null> {
      if (!/^[\w-]{43}$/.test(token)) return null;
      const id = tokenId(token);
      const since = sessionCache.version();
      const cached = sessionCache.get(id);
      const now = clock.now();
      if (cached && cached.expiresAt > now) return cached;
      const row = await findPatientSession(db.reader, id);
      if (!row || row.expiresAt <= now) return null;
      let session: PatientSession = {
        id,
        address: row.address,
        patientId: row.patientId,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
      };
      if (now.getTime() - row.lastSeenAt.getTime() > HOUR) {
        const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
        await db.tx((ctx) => slidePatientSession(ctx, id, now, expiresAt));
        session = { ...session, expiresAt };
      }
      // Not when a sign-out landed meanwhile: the next request reads the database again.
      sessionCache.setIfUnchanged(id, session, since);
      return session;
    },

    /** After registration the session belongs to the new patient. */
    async attach(ctx: DbCtx, sessionId: string, patientId: string): Promise<void> {
      await setSessionPatient(ctx, sessionId, patientId);
      ctx.afterCommit(() => sessionCache.delete(sessionId));
    },

    async signOut(sessionId: string): Promise<void> {
      await db.tx((ctx) => deletePatientSession(ctx, sessionId));
      sessionCache.delete(sessionId);
    },

    endSessions,

    /**
     * Signs out everywhere from a session of `address`: every session of the address's patient,
     * on each of their addresses (a lost phone signed in by SMS too), or of the address alone
     * before it is registered. Audited as `actor`'s (the route's request), else the patient's.
     */
    async signOutEverywhere(address: string, actor?: Actor): Promise<number> {
      return db.tx(async (ctx) => {
        const login = await findLogin(ctx, address);
        let ended = await endSessions(ctx, { address });
        if (login) {
          ended += await endSessions(ctx, { patientId: login.patientId });
          const by = actor ?? { type: 'patient' as const, id: login.patientId };
          await deps.audit.record(ctx, by, {
            action: 'patient.sign-out-everywhere',
            entity: 'patient',
            entityId: login.patientId,
            patientId: login.patientId,
            details: { sessions: ended },
          });
        }
        return ended;
      });
    },

    async pruneSessions(): Promise<number> {
      return db.tx((ctx) => deleteEndedPatientSessions(ctx, clock.now()));
    },
  };
}
