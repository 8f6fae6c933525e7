import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import {
  type CreateStaffInput,
  createStaffInput,
  type StaffRole,
  setupInput,
  signInInput,
} from './accounts.schema.ts';
import {
  dummyPasswordHash,
  hashPassword,
  passwordProblem,
  type ScryptCost,
  verifyPassword,
} from './password.ts';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.ts';
import type { StaffAccount, StaffSessions } from './sessions.ts';
import { newSecretToken, tokenId } from './tokens.ts';
import { newTotpSecret, verifyTotp } from './totp.ts';

/**
 * Staff accounts: creation (CLI, first-run setup link, admins), passwords, second factors and
 * one-time links. Every change is audited in the same transaction.
 */
export const LINK_LIFETIME_MS = 24 * 60 * 60_000;

export interface AccountsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: StaffSessions;
  /** To enqueue invitation emails in the same transaction as the account. */
  queue?: JobQueue;
  passwordCost?: ScryptCost;
}

const issuesOf = (e: { issues: { path: PropertyKey[]; message: string }[] }) =>
  e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

export function accountsService(deps: AccountsDeps) {
  const { db, clock, audit } = deps;
  const { staffAccounts: accounts, staffTokens: tokens, staffRecoveryCodes: recovery } = db.reader.t;

  async function validPassword(password: string | undefined, context: { email: string; name: string }) {
    const problem = password === undefined ? null : await passwordProblem(password, context);
    if (problem) throw validationFailed([{ path: 'password', message: problem }], problem);
    return password === undefined ? null : hashPassword(password, deps.passwordCost);
  }

  async function insertAccount(actor: Actor, input: CreateStaffInput): Promise<StaffAccount> {
    const parsed = createStaffInput.safeParse(input);
    if (!parsed.success) throw validationFailed(issuesOf(parsed.error));
    const { email, name, role, password } = parsed.data;
    const passwordHash = await validPassword(password, { email, name });
    return db.tx(async (ctx) => {
      const q = ctx.db;
      const [existing] = await q.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
      if (existing) throw conflict('A staff account with this email already exists.', 'email_taken');
      const now = clock.now();
      const [account] = await q
        .insert(accounts)
        .values({
          id: newId(),
          email,
          name,
          role,
          status: 'active',
          passwordHash,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await audit.record(ctx, actor, {
        action: 'staff.create',
        entity: 'staff_account',
        entityId: account!.id,
        details: { role },
      });
      return account!;
    });
  }

  async function issueLink(purpose: 'setup' | 'set-password', accountId: string | null): Promise<string> {
    const token = newSecretToken();
    const now = clock.now();
    await db.tx(({ db: q }) =>
      q.insert(tokens).values({
        id: tokenId(token),
        purpose,
        accountId,
        expiresAt: new Date(now.getTime() + LINK_LIFETIME_MS),
        createdAt: now,
      }),
    );
    return token;
  }

  /** Marks a one-time link used, in the caller's transaction; null when unknown, used or expired. */
  async function consumeLink(q: Db['reader']['db'], purpose: 'setup' | 'set-password', token: string) {
    const [row] = await q
      .update(tokens)
      .set({ usedAt: clock.now() })
      .where(
        and(
          eq(tokens.id, tokenId(token)),
          eq(tokens.purpose, purpose),
          isNull(tokens.usedAt),
          gt(tokens.expiresAt, clock.now()),
        ),
      )
      .returning();
    return row ?? null;
  }

  const get = async (id: string) => {
    const [account] = await db.reader.db.select().from(accounts).where(eq(accounts.id, id));
    if (!account) throw notFound('The staff account');
    return account;
  };

  return {
    get,
    create: insertAccount,

    /** Creates an account without a password and, in the same transaction, the job that emails the member a link. */
    async invite(actor: Actor, input: Omit<CreateStaffInput, 'password'>): Promise<StaffAccount> {
      return db.tx(async (ctx) => {
        const account = await insertAccount(actor, input);
        await deps.queue?.enqueue(ctx, 'accounts.send-staff-invite', { accountId: account.id });
        return account;
      });
    },

    /** The active account with this email (single sign-on matches by verified email), or null. */
    async findActiveByEmail(email: string): Promise<StaffAccount | null> {
      const [account] = await db.reader.db
        .select()
        .from(accounts)
        .where(and(eq(accounts.email, email.trim().toLowerCase()), eq(accounts.status, 'active')));
      return account ?? null;
    },

    list(): Promise<StaffAccount[]> {
      return db.reader.db.select().from(accounts).orderBy(accounts.name);
    },

    async hasAdmin(): Promise<boolean> {
      const [row] = await db.reader.db
        .select({ id: accounts.id })
        .from(accounts)
        .where(and(eq(accounts.role, 'admin'), eq(accounts.status, 'active')))
        .limit(1);
      return Boolean(row);
    },

    /** A one-time link for the first admin, valid 24 h; only while no admin exists. */
    issueSetupLink: () => issueLink('setup', null),
    /** A one-time link to set (or reset) a password, valid 24 h. */
    issueSetPasswordLink: (accountId: string) => issueLink('set-password', accountId),

    async isLinkValid(purpose: 'setup' | 'set-password', token: string): Promise<boolean> {
      const [row] = await db.reader.db
        .select({ id: tokens.id })
        .from(tokens)
        .where(
          and(
            eq(tokens.id, tokenId(token)),
            eq(tokens.purpose, purpose),
            isNull(tokens.usedAt),
            gt(tokens.expiresAt, clock.now()),
          ),
        );
      return Boolean(row);
    },

    /** First-run: the setup link creates the first admin. Refused once an admin exists. */
    async completeSetup(
      actor: Actor,
      token: string,
      input: { email: string; name: string; password: string },
    ): Promise<StaffAccount> {
      const parsed = setupInput.safeParse(input);
      if (!parsed.success) throw validationFailed(issuesOf(parsed.error));
      const passwordHash = await validPassword(parsed.data.password, parsed.data);
      return db.tx(async (ctx) => {
        const q = ctx.db;
        const [admin] = await q
          .select({ id: accounts.id })
          .from(accounts)
          .where(eq(accounts.role, 'admin'))
          .limit(1);
        if (admin || !(await consumeLink(q, 'setup', token))) {
          throw conflict(
            'This setup link has been used or has expired. Ask your administrator, or run clinicbox admin create.',
            'link_invalid',
          );
        }
        const now = clock.now();
        const [account] = await q
          .insert(accounts)
          .values({
            id: newId(),
            email: parsed.data.email,
            name: parsed.data.name,
            role: 'admin',
            status: 'active',
            passwordHash,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await audit.record(ctx, actor, {
          action: 'staff.setup-admin',
          entity: 'staff_account',
          entityId: account!.id,
          details: { role: 'admin' },
        });
        return account!;
      });
    },

    /**
     * Changes one's own password after checking the current one. Ends every other session of
     * the account (a stolen session dies with the old password); the caller's stays.
     */
    async changePassword(
      actor: Actor,
      accountId: string,
      current: string,
      next: string,
      keepSessionId: string,
    ): Promise<void> {
      const account = await get(accountId);
      if (!account.passwordHash || !(await verifyPassword(current, account.passwordHash))) {
        const message = 'Your current password is not right.';
        throw validationFailed([{ path: 'current', message }], message);
      }
      const passwordHash = await validPassword(next, account);
      await db.tx(async (ctx) => {
        await ctx.db
          .update(accounts)
          .set({ passwordHash, updatedAt: clock.now() })
          .where(eq(accounts.id, accountId));
        await audit.record(ctx, actor, {
          action: 'staff.change-password',
          entity: 'staff_account',
          entityId: accountId,
        });
      });
      for (const s of await deps.sessions.list(accountId))
        if (s.id !== keepSessionId) await deps.sessions.revoke(accountId, s.id);
    },

    /** New recovery codes (the old ones stop working); needs an enrolled second factor. */
    async regenerateRecoveryCodes(actor: Actor, accountId: string): Promise<string[]> {
      const account = await get(accountId);
      if (!account.mfaEnrolledAt) throw conflict('Set up a second factor first.', 'mfa_not_enrolled');
      const codes = newRecoveryCodes();
      await db.tx(async (ctx) => {
        const now = clock.now();
        await ctx.db.delete(recovery).where(eq(recovery.accountId, accountId));
        await ctx.db
          .insert(recovery)
          .values(codes.map((c) => ({ codeHash: hashRecoveryCode(c), accountId, createdAt: now })));
        await audit.record(ctx, actor, {
          action: 'staff.recovery-codes',
          entity: 'staff_account',
          entityId: accountId,
        });
      });
      return codes;
    },

    async setPasswordWithLink(actor: Actor, token: string, password: string): Promise<StaffAccount> {
      const link = await db.reader.db
        .select()
        .from(tokens)
        .where(eq(tokens.id, tokenId(token)));
      const accountId = link[0]?.accountId;
      const account = accountId ? await get(accountId).catch(() => null) : null;
      const passwordHash = await validPassword(password, {
        email: account?.email ?? '',
        name: account?.name ?? '',
      });
      const updated = await db.tx(async (ctx) => {
        const used = await consumeLink(ctx.db, 'set-password', token);
        if (!used?.accountId)
          throw conflict(
            'This link has been used or has expired. Ask an administrator for a new one.',
            'link_invalid',
          );
        const [row] = await ctx.db
          .update(accounts)
          .set({ passwordHash, updatedAt: clock.now() })
          .where(eq(accounts.id, used.accountId))
          .returning();
        await audit.record(
          ctx,
          { ...actor, type: 'staff', id: used.accountId },
          { action: 'staff.set-password', entity: 'staff_account', entityId: used.accountId },
        );
        return row!;
      });
      await deps.sessions.revokeAll(updated.id);
      return updated;
    },

    /**
     * Checks email and password. Unknown accounts, deactivated accounts and wrong passwords all
     * answer null after the same scrypt work, so timing does not reveal which it was.
     */
    async authenticate(input: { email: string; password: string }): Promise<StaffAccount | null> {
      const parsed = signInInput.safeParse(input);
      const email = parsed.success ? parsed.data.email : '';
      const [account] = email
        ? await db.reader.db.select().from(accounts).where(eq(accounts.email, email))
        : [];
      const hash = account?.passwordHash ?? (await dummyPasswordHash(deps.passwordCost));
      const ok = await verifyPassword(parsed.success ? parsed.data.password : '', hash);
      return ok && account?.passwordHash && account.status === 'active' ? account : null;
    },

    /**
     * Starts TOTP enrollment for one session: a new unconfirmed secret, or the one this same
     * session already has pending (a reload shows the same code). Another session — say, someone
     * who learnt the password — never sees a secret it did not create.
     */
    async beginTotp(accountId: string, sessionId: string): Promise<string> {
      const account = await get(accountId);
      if (account.mfaEnrolledAt)
        throw conflict('A second factor is already set up. An administrator can reset it.', 'mfa_enrolled');
      if (account.totpSecret && account.totpPendingSession === sessionId) return account.totpSecret;
      const secret = newTotpSecret();
      await db.tx(({ db: q }) =>
        q
          .update(accounts)
          .set({
            totpSecret: secret,
            totpLastStep: null,
            totpPendingSession: sessionId,
            updatedAt: clock.now(),
          })
          .where(eq(accounts.id, accountId)),
      );
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
      const codes = newRecoveryCodes();
      await db.tx(async (ctx) => {
        const now = clock.now();
        await ctx.db
          .update(accounts)
          .set({ mfaEnrolledAt: now, totpLastStep: result.step, updatedAt: now })
          .where(eq(accounts.id, accountId));
        await ctx.db.delete(recovery).where(eq(recovery.accountId, accountId));
        await ctx.db
          .insert(recovery)
          .values(codes.map((c) => ({ codeHash: hashRecoveryCode(c), accountId, createdAt: now })));
        await audit.record(ctx, actor, {
          action: 'staff.mfa-enroll',
          entity: 'staff_account',
          entityId: accountId,
          details: { method: 'totp' },
        });
      });
      return codes;
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
        await ctx.db
          .update(accounts)
          .set({ totpSecret: null, totpLastStep: null, mfaEnrolledAt: null, updatedAt: clock.now() })
          .where(eq(accounts.id, accountId));
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

    async changeRole(actor: Actor, accountId: string, role: StaffRole): Promise<void> {
      await db.tx(async (ctx) => {
        await ctx.db.update(accounts).set({ role, updatedAt: clock.now() }).where(eq(accounts.id, accountId));
        await audit.record(ctx, actor, {
          action: 'staff.change-role',
          entity: 'staff_account',
          entityId: accountId,
          details: { role },
        });
      });
      await deps.sessions.revokeAll(accountId); // a privilege change takes a new sign-in
    },

    async deactivate(actor: Actor, accountId: string): Promise<void> {
      await db.tx(async (ctx) => {
        await ctx.db
          .update(accounts)
          .set({ status: 'deactivated', updatedAt: clock.now() })
          .where(eq(accounts.id, accountId));
        await audit.record(ctx, actor, {
          action: 'staff.deactivate',
          entity: 'staff_account',
          entityId: accountId,
        });
      });
      await deps.sessions.revokeAll(accountId);
    },
  };
}

export type AccountsService = ReturnType<typeof accountsService>;
