import type { Db } from '../../db/client.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { accountEvent } from './account-event.ts';
import type { StaffAccount, StaffSessions } from './sessions.ts';

/**
 * Starting and ending staff sessions, each with its audit row in the same transaction: a
 * session never exists (or ends) without the log saying so. Part of the accounts service's
 * surface (spread into it).
 */
export function signInService(deps: { db: Db; audit: AuditService; sessions: StaffSessions }) {
  const { db, audit, sessions } = deps;

  return {
    /**
     * Starts a session for `account` (ending `replaces`, the browser's previous one) and audits
     * it: `staff.sign-in` when fully signed in, `staff.sign-in-password` while a second step is owed.
     */
    async startSession(
      actor: Actor,
      account: StaffAccount,
      meta: {
        mfaVerified: boolean;
        method: string;
        ip?: string | null;
        userAgent?: string | null;
        replaces?: { accountId: string; sessionId: string } | undefined;
        /** When the member last proved who they are, if not now (see sessions.start). */
        provenAt?: Date | null | undefined;
      },
    ): Promise<{ token: string }> {
      return db.tx(async (ctx) => {
        if (meta.replaces) await sessions.revoke(meta.replaces.accountId, meta.replaces.sessionId, ctx);
        const { token } = await sessions.start(
          account.id,
          {
            mfaVerified: meta.mfaVerified,
            ip: meta.ip ?? null,
            userAgent: meta.userAgent ?? null,
            ...(meta.provenAt === undefined ? {} : { provenAt: meta.provenAt }),
          },
          ctx,
        );
        const signedIn = meta.mfaVerified ? 'staff.sign-in' : 'staff.sign-in-password';
        await audit.record(ctx, actor, accountEvent(signedIn, account.id, { method: meta.method }));
        return { token };
      });
    },

    /**
     * Ends one of the account's sessions with its audit row (`staff.sign-out` for one's own,
     * `staff.session-revoke` from the sessions list). False, and nothing written, when the
     * account has no such session.
     */
    async endSession(
      actor: Actor,
      accountId: string,
      sessionId: string,
      action: 'staff.sign-out' | 'staff.session-revoke',
    ): Promise<boolean> {
      return db.tx(async (ctx) => {
        if (!(await sessions.revoke(accountId, sessionId, ctx))) return false;
        await audit.record(ctx, actor, accountEvent(action, accountId));
        return true;
      });
    },
  };
}
