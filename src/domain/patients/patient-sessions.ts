import type { DbCtx } from '../../db/client.ts';
import { createCache } from '../../lib/cache.ts';
import { tokenId } from '../../lib/ids.ts';
import {
  deleteAddressSessions,
  deleteEndedPatientSessions,
  deletePatientSession,
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
export function patientSessionStore(deps: Pick<SignInDeps, 'db' | 'clock'>) {
  const { db, clock } = deps;
  const sessionCache = createCache<PatientSession>('patient-sessions', { max: 10_000, ttlMs: 5_000 });

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

    /** Ends every session of the address (and so of its patient). */
    async signOutEverywhere(address: string): Promise<number> {
      const ids = await db.tx((ctx) => deleteAddressSessions(ctx, address));
      for (const id of ids) sessionCache.delete(id);
      return ids.length;
    },

    async pruneSessions(): Promise<number> {
      return db.tx((ctx) => deleteEndedPatientSessions(ctx, clock.now()));
    },
  };
}
