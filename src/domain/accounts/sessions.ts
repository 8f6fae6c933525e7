import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { Db, DbCtx } from '../../db/client.ts';
import { createCache } from '../../lib/cache.ts';
import type { Clock } from '../../lib/clock.ts';
import { newSecretToken, tokenId } from '../../lib/ids.ts';

/**
 * Staff sessions (after lucia-auth's guide): a 256-bit token in the cookie, its SHA-256 as the
 * row id. Idle timeout and absolute lifetime; `last_seen_at` slides at most once a minute to
 * spare writes. Validations are cached per instance for a few seconds and invalidated on
 * sign-out, revocation and account changes.
 */
export type StaffSession = typeof import('../../db/schema/sqlite.ts').staffSessions.$inferSelect;
export type StaffAccount = typeof import('../../db/schema/sqlite.ts').staffAccounts.$inferSelect;

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export interface ValidSession {
  session: StaffSession;
  account: StaffAccount;
}

const SLIDE_EVERY_MS = 60_000;

export function staffSessions(deps: { db: Db; clock: Clock; policy: SessionPolicy }) {
  const { db, clock, policy } = deps;
  const { staffSessions: sessions, staffAccounts: accounts } = db.reader.t;
  const cache = createCache<ValidSession>('staff-sessions', { max: 10_000, ttlMs: 5_000 });

  return {
    /** Starts a session; in `ctx`'s transaction when given (to audit it in the same one). */
    async start(
      accountId: string,
      meta: { mfaVerified: boolean; ip?: string | null; userAgent?: string | null },
      ctx?: DbCtx,
    ) {
      const token = newSecretToken();
      const now = clock.now();
      const run = <T>(fn: (c: DbCtx) => Promise<T>) => (ctx ? fn(ctx) : db.tx(fn));
      const [session] = await run(({ db: q }) =>
        q
          .insert(sessions)
          .values({
            id: tokenId(token),
            accountId,
            mfaVerified: meta.mfaVerified,
            createdAt: now,
            lastSeenAt: now,
            expiresAt: new Date(now.getTime() + policy.absoluteMs),
            ip: meta.ip ?? null,
            userAgent: meta.userAgent?.slice(0, 400) ?? null,
          })
          .returning(),
      );
      return { token, session: session! };
    },

    /** The session and its active account, or null (unknown, expired, idle too long, deactivated). */
    async validate(token: string): Promise<ValidSession | null> {
      if (!token || token.length > 200) return null;
      const id = tokenId(token);
      const now = clock.now();
      const since = cache.version();
      let found = cache.get(id);
      if (!found) {
        const [row] = await db.reader.db
          .select({ session: sessions, account: accounts })
          .from(sessions)
          .innerJoin(accounts, eq(accounts.id, sessions.accountId))
          .where(eq(sessions.id, id));
        if (!row) return null;
        found = row;
      }
      const { session, account } = found;
      const idle = now.getTime() - session.lastSeenAt.getTime() > policy.idleMs;
      if (idle || now >= session.expiresAt || account.status !== 'active') {
        cache.delete(id);
        await db.tx(({ db: q }) => q.delete(sessions).where(eq(sessions.id, id)));
        return null;
      }
      if (now.getTime() - session.lastSeenAt.getTime() >= SLIDE_EVERY_MS) {
        await db.tx(({ db: q }) => q.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id)));
        found = { account, session: { ...session, lastSeenAt: now } };
      }
      // Not when a revoke or deactivation landed meanwhile: the next request reads it again.
      cache.setIfUnchanged(id, found, since);
      return found;
    },

    /**
     * Ends one session (sign-out, or revoke from the sessions list — only the owner's); in
     * `ctx`'s transaction when given.
     */
    async revoke(accountId: string, sessionId: string, ctx?: DbCtx): Promise<boolean> {
      cache.delete(sessionId);
      const run = <T>(fn: (c: DbCtx) => Promise<T>) => (ctx ? fn(ctx) : db.tx(fn));
      const rows = await run(({ db: q }) =>
        q
          .delete(sessions)
          .where(and(eq(sessions.id, sessionId), eq(sessions.accountId, accountId)))
          .returning({ id: sessions.id }),
      );
      return rows.length === 1;
    },

    /** Ends every session of an account (deactivation, password reset, second-factor reset). */
    async revokeAll(accountId: string): Promise<number> {
      cache.clear();
      const rows = await db.tx(({ db: q }) =>
        q.delete(sessions).where(eq(sessions.accountId, accountId)).returning({ id: sessions.id }),
      );
      return rows.length;
    },

    list(accountId: string): Promise<StaffSession[]> {
      return db.reader.db
        .select()
        .from(sessions)
        .where(eq(sessions.accountId, accountId))
        .orderBy(desc(sessions.lastSeenAt));
    },

    /** Deletes sessions past their lifetime or idle limit, and expired passkey challenges (a recurring job). */
    async prune(): Promise<number> {
      const now = clock.now();
      const { authChallenges } = db.reader.t;
      await db.tx(({ db: q }) => q.delete(authChallenges).where(lt(authChallenges.expiresAt, now)));
      const rows = await db.tx(({ db: q }) =>
        q
          .delete(sessions)
          .where(
            or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - policy.idleMs))),
          )
          .returning({ id: sessions.id }),
      );
      return rows.length;
    },

    /** Forget cached validations (after an account change). */
    invalidate(): void {
      cache.clear();
    },
  };
}

export type StaffSessions = ReturnType<typeof staffSessions>;
