import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound, validationFailed } from '../../lib/errors.ts';
import { newId, newSecretToken, tokenId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { SEND_STAFF_INVITE } from './accounts.jobs.ts';
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
import { secondFactorService } from './second-factor.ts';
import type { StaffAccount, StaffSessions } from './sessions.ts';
import { signInService } from './sign-ins.ts';

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
  const { staffAccounts: accounts, staffTokens: tokens } = db.reader.t;

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

  const get = async (id: string): Promise<StaffAccount> => {
    const [account] = await db.reader.db.select().from(accounts).where(eq(accounts.id, id));
    if (!account) throw notFound('The staff account');
    return account;
  };

  const secondFactor = secondFactorService({ db, clock, audit, sessions: deps.sessions, get });
  const signIns = signInService({ db, audit, sessions: deps.sessions });

  return {
    get,
    create: insertAccount,

    /** Creates an account without a password and, in the same transaction, the job that emails the member a link. */
    async invite(actor: Actor, input: Omit<CreateStaffInput, 'password'>): Promise<StaffAccount> {
      return db.tx(async (ctx) => {
        const account = await insertAccount(actor, input);
        await deps.queue?.enqueue(ctx, SEND_STAFF_INVITE, { accountId: account.id });
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

    /** A one-time link for the first admin, valid 24 h; only while no active admin exists. */
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

    /** First-run: the setup link creates an admin. Refused while an active admin exists. */
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
        // The same rule as hasAdmin (serve's setup link, the GET page): an active admin.
        const [admin] = await q
          .select({ id: accounts.id })
          .from(accounts)
          .where(and(eq(accounts.role, 'admin'), eq(accounts.status, 'active')))
          .limit(1);
        if (admin || !(await consumeLink(q, 'setup', token))) {
          throw conflict(
            'This setup link has been used or has expired. Ask your administrator, or run clinicbox admin create.',
            'link_invalid',
          );
        }
        const [taken] = await q
          .select({ id: accounts.id })
          .from(accounts)
          .where(eq(accounts.email, parsed.data.email));
        if (taken) {
          const message = 'A (deactivated) staff account already uses this email. Use another one.';
          throw validationFailed([{ path: 'email', message }], message);
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

    ...secondFactor,
    ...signIns,

    async changeRole(actor: Actor, accountId: string, role: StaffRole): Promise<void> {
      await db.tx(async (ctx) => {
        const rows = await ctx.db
          .update(accounts)
          .set({ role, updatedAt: clock.now() })
          .where(eq(accounts.id, accountId))
          .returning({ id: accounts.id });
        if (rows.length !== 1) throw notFound('That staff member');
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
        const rows = await ctx.db
          .update(accounts)
          .set({ status: 'deactivated', updatedAt: clock.now() })
          .where(eq(accounts.id, accountId))
          .returning({ id: accounts.id });
        if (rows.length !== 1) throw notFound('That staff member');
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
