import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound, validationFailed } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.ts';
import type { StaffAccount, StaffSessions } from './sessions.ts';
import { newTotpSecret, verifyTotp } from './totp.ts';

/**
 * Staff second factors: authenticator-app (TOTP) enrollment and checks, recovery codes, and the
 * admin reset. Part of the accounts service's surface (spread into it).
 */
export function secondFactorService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: StaffSessions;
  get(id: string): Promise<StaffAccount>;
}) {
  const { db, clock, audit, get } = deps;
  const { staffAccounts: accounts, staffRecoveryCodes: recovery } = db.reader.t;

  /** Replaces the account's recovery codes in `ctx`'s transaction; returns the new ones (shown once). */
  async function replaceRecoveryCodes(ctx: DbCtx, accountId: string): Promise<string[]> {
    const codes = newRecoveryCodes();
    const now = clock.now();
    await ctx.db.delete(recovery).where(eq(recovery.accountId, accountId));
    await ctx.db
      .insert(recovery)
      .values(codes.map((c) => ({ codeHash: hashRecoveryCode(c), accountId, createdAt: now })));
    return codes;
  }

  return {
    /**
     * Starts TOTP enrollment for one session: a new unconfirmed secret, or the one this same
     * session already has pending (a reload shows the same code). Another session — say, someone
     * who learnt the password — never sees a secret it did not create.
     */
    async beginTotp(actor: Actor, accountId: string, sessionId: string): Promise<string> {
      const account = await get(accountId);
      if (account.mfaEnrolledAt)
        throw conflict('A second factor is already set up. An administrator can reset it.', 'mfa_enrolled');
      if (account.totpSecret && account.totpPendingSession === sessionId) return account.totpSecret;
      const secret = newTotpSecret();
      await db.tx(async (ctx) => {
        await ctx.db
          .update(accounts)
          .set({
            totpSecret: secret,
            totpLastStep: null,
            totpPendingSession: sessionId,
            updatedAt: clock.now(),
          })
          .where(eq(accounts.id, accountId));
        // A new pending secret replaces any other: worth a line in the log (never the secret).
        await audit.record(ctx, actor, {
          action: 'staff.mfa-begin',
          entity: 'staff_account',
          entityId: accountId,
          details: { method: 'totp' },
        });
      });
      return secret;
    },

    /** Confirms enrollment with a first code; returns the recovery codes, shown once. */
    async confirmTotp(actor: Actor, accountId: string, code: string): Promise<string[]> {
      const account = await get(accountId);
      if (!account.totpSecret || account.mfaEnrolledAt)
        throw conflict('Start the set-up again.', 'mfa_not_pending');
      const result = verifyTotp({ secret: account.totpSecret, code, now: clock.now(), lastUsedStep: null });
      if (!result.ok) {
        const message = 'That code is not right. Check the time on your phone and try the next code.';
        throw validationFailed([{ path: 'code', message }], message);
      }
      return db.tx(async (ctx) => {
        const now = clock.now();
        await ctx.db
          .update(accounts)
          .set({ mfaEnrolledAt: now, totpLastStep: result.step, updatedAt: now })
          .where(eq(accounts.id, accountId));
        const codes = await replaceRecoveryCodes(ctx, accountId);
        await audit.record(ctx, actor, {
          action: 'staff.mfa-enroll',
          entity: 'staff_account',
          entityId: accountId,
          details: { method: 'totp' },
        });
        return codes;
      });
    },

    /**
     * Checks a second-factor code: a TOTP code (each time step works once) or an unused recovery
     * code. The step or the code is spent in the same transaction that checks it.
     */
    async verifySecondFactor(accountId: string, code: string): Promise<'totp' | 'recovery-code' | null> {
      return db.tx(async ({ db: q }) => {
        const [account] = await q.select().from(accounts).where(eq(accounts.id, accountId));
        if (!account?.totpSecret || !account.mfaEnrolledAt) return null;
        const totp = verifyTotp({
          secret: account.totpSecret,
          code,
          now: clock.now(),
          lastUsedStep: account.totpLastStep,
        });
        if (totp.ok) {
          // Conditional: two concurrent requests with one code (PostgreSQL, READ COMMITTED) cannot both spend it.
          const spent = await q
            .update(accounts)
            .set({ totpLastStep: totp.step })
            .where(
              and(
                eq(accounts.id, accountId),
                or(isNull(accounts.totpLastStep), lt(accounts.totpLastStep, totp.step)),
              ),
            )
            .returning({ id: accounts.id });
          return spent.length === 1 ? 'totp' : null;
        }
        if (totp.reason !== 'malformed') return null;
        const used = await q
          .update(recovery)
          .set({ usedAt: clock.now() })
          .where(
            and(
              eq(recovery.codeHash, hashRecoveryCode(code)),
              eq(recovery.accountId, accountId),
              isNull(recovery.usedAt),
            ),
          )
          .returning({ codeHash: recovery.codeHash });
        return used.length === 1 ? 'recovery-code' : null;
      });
    },

    /** Admin: clears a lost second factor; the member sets up a new one at next sign-in. */
    async resetSecondFactor(actor: Actor, accountId: string): Promise<void> {
      await db.tx(async (ctx) => {
        const rows = await ctx.db
          .update(accounts)
          .set({ totpSecret: null, totpLastStep: null, mfaEnrolledAt: null, updatedAt: clock.now() })
          .where(eq(accounts.id, accountId))
          .returning({ id: accounts.id });
        if (rows.length !== 1) throw notFound('That staff member');
        await ctx.db.delete(recovery).where(eq(recovery.accountId, accountId));
        // Passkeys too: a lost phone's passkey must not keep signing in after the reset.
        await ctx.db.delete(ctx.t.staffPasskeys).where(eq(ctx.t.staffPasskeys.accountId, accountId));
        await audit.record(ctx, actor, {
          action: 'staff.mfa-reset',
          entity: 'staff_account',
          entityId: accountId,
        });
      });
      await deps.sessions.revokeAll(accountId);
    },

    /** New recovery codes (the old ones stop working); needs an enrolled second factor. */
    async regenerateRecoveryCodes(actor: Actor, accountId: string): Promise<string[]> {
      const account = await get(accountId);
      if (!account.mfaEnrolledAt) throw conflict('Set up a second factor first.', 'mfa_not_enrolled');
      return db.tx(async (ctx) => {
        const codes = await replaceRecoveryCodes(ctx, accountId);
        await audit.record(ctx, actor, {
          action: 'staff.recovery-codes',
          entity: 'staff_account',
          entityId: accountId,
        });
        return codes;
      });
    },
  };
}
