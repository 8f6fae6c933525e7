import type { Db } from '../../db/client.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Key } from '../../lib/crypto.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { Notifier } from '../notifications/index.ts';
import type { AccessEnds } from './access-ends.ts';
import {
  findActiveStaffAccountByEmail,
  hasActiveAdmin,
  type LinkPurpose,
  listStaffAccounts,
  type StaffAccount,
} from './accounts.repo.ts';
import type { CreateStaffInput, StaffRole } from './accounts.schema.ts';
import { authenticateStaff } from './authenticate.ts';
import { changePassword } from './change-password.ts';
import { changeRole } from './change-role.ts';
import { completeSetup } from './complete-setup.ts';
import { createStaff, inviteStaff } from './create-staff.ts';
import { deactivateStaff } from './deactivate-staff.ts';
import { getStaffAccount } from './get-staff-account.ts';
import type { ScryptCost } from './password.ts';
import { confirmIdentity, type Proof } from './reauthentication.ts';
import { requestPasswordReset } from './request-password-reset.ts';
import { secondFactorService } from './second-factor.ts';
import type { StaffSession, StaffSessions } from './sessions.ts';
import { setPasswordWithLink } from './set-password-with-link.ts';
import { signInService } from './sign-ins.ts';
import { isStaffLinkValid, issueInvitationLink, issueStaffLink } from './staff-links.ts';

export { LINK_LIFETIME_MS, RESET_LINK_LIFETIME_MS } from './staff-links.ts';

/**
 * Staff accounts: creation (CLI, first-run setup link, admins), passwords, second factors and
 * one-time links. Every change is audited in the same transaction. Each use case is a file of
 * its own; this is the surface the app, the HTTP layer and the tests call.
 */
export interface AccountsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: StaffSessions;
  /** What other areas end with a member's access (deactivation, role change), in its transaction. */
  accessEnds?: AccessEnds;
  /** To enqueue invitation emails in the same transaction as the account. */
  queue?: JobQueue;
  /** To tell a member, in the transaction that locks it, that their second factor is locked. */
  notify?: Pick<Notifier, 'dispatch'>;
  passwordCost?: ScryptCost;
  /** Seals second-factor secrets (the clinic's `secrets` key). */
  secrets: Key;
}

export function accountsService(deps: AccountsDeps) {
  const { db } = deps;

  return {
    get: (id: string): Promise<StaffAccount> => getStaffAccount(db.reader, id),
    create: (actor: Actor, input: CreateStaffInput): Promise<StaffAccount> => createStaff(deps, actor, input),

    /** Creates an account without a password and, in the same transaction, the job that emails the member a link. */
    invite: (actor: Actor, input: Omit<CreateStaffInput, 'password'>): Promise<StaffAccount> =>
      inviteStaff(deps, actor, input),

    /** The active account with this email (single sign-on matches by verified email), or null. */
    findActiveByEmail: (email: string): Promise<StaffAccount | null> =>
      findActiveStaffAccountByEmail(db.reader, email.trim().toLowerCase()),

    list: (): Promise<StaffAccount[]> => listStaffAccounts(db.reader),
    hasAdmin: (): Promise<boolean> => hasActiveAdmin(db.reader),

    /** A one-time link for the first admin, valid 24 h; only while no active admin exists. */
    issueSetupLink: () => issueStaffLink(deps, 'setup', null),
    /** A one-time link to set (or reset) a password, valid 24 h; the account's earlier unused one stops working. */
    issueSetPasswordLink: (accountId: string) => issueStaffLink(deps, 'set-password', accountId),
    /** Admin: a new invitation link for a member with no password yet (audited); the emailed one stops working. */
    issueInvitationLink: (actor: Actor, accountId: string): Promise<string> =>
      issueInvitationLink(deps, actor, accountId),
    /** A one-time link to choose a new password after forgetting it, valid 1 h; the account's other unused link stops working. */
    issuePasswordResetLink: (accountId: string) => issueStaffLink(deps, 'reset-password', accountId),
    isLinkValid: (purpose: LinkPurpose, token: string): Promise<boolean> =>
      isStaffLinkValid(deps, purpose, token),

    /**
     * "Forgot password?": emails an active member with this address a reset link (through the
     * job queue); any other address gets nothing, after the same work. Audited either way.
     */
    requestPasswordReset: (actor: Actor, email: string): Promise<void> =>
      requestPasswordReset(deps, actor, email),

    /** First-run: the setup link creates an admin. Refused while an active admin exists. */
    completeSetup: (
      actor: Actor,
      token: string,
      input: { email: string; name: string; password: string },
    ): Promise<StaffAccount> => completeSetup(deps, actor, token, input),

    /**
     * Changes one's own password after checking the current one. Ends every other session of
     * the account (a stolen session dies with the old password); the caller's stays.
     */
    changePassword: (
      actor: Actor,
      accountId: string,
      current: string,
      next: string,
      keepSessionId: string,
    ): Promise<void> => changePassword(deps, actor, accountId, current, next, keepSessionId),

    /**
     * "Confirm it's you": checks the password or a second-factor code of the session's member;
     * when right, the session may make changes to how they sign in for the next 5 minutes.
     */
    confirmIdentity: (
      actor: Actor,
      session: StaffSession,
      proof: Proof,
    ): Promise<'password' | 'totp' | 'recovery-code' | null> => confirmIdentity(deps, actor, session, proof),

    setPasswordWithLink: (actor: Actor, token: string, password: string): Promise<StaffAccount> =>
      setPasswordWithLink(deps, actor, token, password),
    /** A new password with a forgotten-password link: the link is spent, every session ends; audited. */
    resetPasswordWithLink: (actor: Actor, token: string, password: string): Promise<StaffAccount> =>
      setPasswordWithLink(deps, actor, token, password, 'reset-password'),

    /**
     * Checks email and password. Unknown accounts, deactivated accounts and wrong passwords all
     * answer null after the same scrypt work, so timing does not reveal which it was.
     */
    authenticate: (input: { email: string; password: string }): Promise<StaffAccount | null> =>
      authenticateStaff(deps, input),

    ...secondFactorService(deps),
    ...signInService(deps),

    changeRole: (actor: Actor, accountId: string, role: StaffRole): Promise<void> =>
      changeRole(deps, actor, accountId, role),
    deactivate: (actor: Actor, accountId: string): Promise<void> => deactivateStaff(deps, actor, accountId),
  };
}

export type AccountsService = ReturnType<typeof accountsService>;
