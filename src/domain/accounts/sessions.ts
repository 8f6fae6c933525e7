import type { Db, DbCtx } from '../../db/client.ts';
import { createCache } from '../../lib/cache.ts';
import type { Clock } from '../../lib/clock.ts';
import { newSecretToken, tokenId } from '../../lib/ids.ts';
import type { StaffAccount } from './accounts.repo.ts';
import { deleteExpiredAuthChallenges } from './passkeys.repo.ts';
import {
  deleteAccountSession,
  deleteAccountSessions,
  deleteStaffSession,
  deleteStaleStaffSessions,
  findStaffSessionWithAccount,
  insertStaffSession,
  listAccountSessions,
  markStaffSessionReauthenticated,
  type StaffSession,
  touchStaffSession,
} from './sessions.repo.ts';

/**
 * Staff sessions (after lucia-auth's guide): a 256-bit token in the cookie, its SHA-256 as the
 * row id. Idle timeout and absolute lifetime; `last_seen_at` slides at most once a minute to
 * spare writes. Validations are cached per instance for a few seconds and invalidated on
 * sign-out, revocation and account changes.
 */
export type { StaffAccount } from './accounts.repo.ts';
export type { StaffSession } from './sessions.repo.ts';

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
  const cache = createCache<ValidSession>('staff-sessions', { max: 10_000, ttlMs: 5_000, bus: db.cacheBus });
  /** `fn` in `ctx`'s transaction when given, else in a transaction of its own. */
  const inTx = <T>(ctx: DbCtx | undefined, fn: (c: DbCtx) => Promise<T>) => (ctx ? fn(ctx) : db.tx(fn));

  return {
    /**
     * Starts a session; in `ctx`'s transaction when given (to audit it in the same one).
     * `provenAt`: when the member last proved who they are, if not now (single sign-on: when the
     * provider checked them; null when it does not say).
     */
    async start(
      accountId: string,
      meta: { mfaVerified: boolean; ip?: string | null; userAgent?: string | null; provenAt?: Date | null },
      ctx?: DbCtx,
    ) {
      const token = newSecretToken();
      const now = clock.now();
      const session = await inTx(ctx, (c) =>
        insertStaffSession(c, {
          id: tokenId(token),
          accountId,
          mfaVerified: meta.mfaVerified,
          createdAt: now,
          lastSeenAt: now,
          expiresAt: new Date(now.getTime() + policy.absoluteMs),
          // A sign-in proves who it is (password, passkey, second factor; single sign-on when the provider checked).
          reauthenticatedAt: meta.provenAt === undefined ? now : meta.provenAt,
          ip: meta.ip ?? null,
          userAgent: meta.userAgent?.slice(0, 400) ?? null,
        }),
      );
      return { token, session };
    },

    /** The session and its active account, or null (unknown, expired, idle too long, deactivated). */
    async validate(token: string): Promise<ValidSession | null> {
      if (!token || token.length > 200) return null;
      const id = tokenId(token);
      const now = clock.now();
      // Taken before the read: a cached validation lives 5 s from its database read, however
      // often it is used, so another instance's sign-out or deactivation reaches this one.
      const read = cache.version();
      const cached = cache.get(id);
      const found = cached ?? (await findStaffSessionWithAccount(db.reader, id));
      if (!found) return null;
      const { session, account } = found;
      const idle = now.getTime() - session.lastSeenAt.getTime() > policy.idleMs;
      if (idle || now >= session.expiresAt || account.status !== 'active') {
        cache.delete(id);
        await db.tx((c) => deleteStaffSession(c, id));
        return null;
      }
      let valid = found;
      if (now.getTime() - session.lastSeenAt.getTime() >= SLIDE_EVERY_MS) {
        await db.tx((c) => touchStaffSession(c, id, now));
        valid = { account, session: { ...session, lastSeenAt: now } };
      }
      // A hit keeps its expiry; a read is not cached when a revoke or deactivation landed
      // meanwhile (the next request reads it again).
      if (cached) cache.replace(id, valid);
      else cache.setIfUnchanged(id, valid, read);
      return valid;
    },

    /**
     * Ends one session (sign-out, or revoke from the sessions list — only the owner's); in
     * `ctx`'s transaction when given.
     */
    async revoke(accountId: string, sessionId: string, ctx?: DbCtx): Promise<boolean> {
      cache.delete(sessionId);
      return inTx(ctx, (c) => deleteAccountSession(c, accountId, sessionId));
    },

    /** Ends every session of an account (deactivation, password reset, second-factor reset). */
    async revokeAll(accountId: string): Promise<number> {
      cache.clear();
      return db.tx((c) => deleteAccountSessions(c, accountId));
    },

    /** The session's member proved who they are just now, in `ctx`'s transaction. */
    async reauthenticated(ctx: DbCtx, sessionId: string): Promise<void> {
      await markStaffSessionReauthenticated(ctx, sessionId, clock.now());
      ctx.afterCommit(() => cache.delete(sessionId));
    },

    list(accountId: string): Promise<StaffSession[]> {
      return listAccountSessions(db.reader, accountId);
    },

    /** Deletes sessions past their lifetime or idle limit, and expired passkey challenges (a recurring job). */
    async prune(): Promise<number> {
      const now = clock.now();
      await db.tx((c) => deleteExpiredAuthChallenges(c, now));
      return db.tx((c) => deleteStaleStaffSessions(c, now, new Date(now.getTime() - policy.idleMs)));
    },

    /** Forget cached validations (after an account change). */
    invalidate(): void {
      cache.clear();
    },
  };
}

export type StaffSessions = ReturnType<typeof staffSessions>;
