import { z } from 'zod';
import {
  type AreaJobs,
  areaJobs,
  defineJob,
  jobType,
  PermanentJobError,
  upkeepJob,
  upkeepJobType,
} from '../../jobs/index.ts';
import { isAppError } from '../../lib/errors.ts';
import { type MailMessage, type MailTransport, PermanentMailError } from '../../notify/email/index.ts';
import type { AccountsService } from './accounts.service.ts';
import type { StaffSessions } from './sessions.ts';

export const SEND_STAFF_INVITE = jobType('accounts.send-staff-invite', z.object({ accountId: z.string() }));
/** Hourly: deletes staff sessions past their lifetime or idle limit. */
export const PRUNE_STAFF_SESSIONS = upkeepJobType('accounts.prune-sessions', '23 * * * *');
export const SEND_PASSWORD_RESET = jobType(
  'accounts.send-password-reset',
  z.object({ accountId: z.string() }),
);

export function accountsJobs(deps: {
  accounts: AccountsService;
  sessions: StaffSessions;
  mail: MailTransport;
  /** Public URL for links in emails. */
  baseUrl: string;
}): AreaJobs {
  /*
   * Emails an invited staff member a link to choose their password. The link's token is made
   * here, never stored in the job. Re-checks first: a member who already has a password or was
   * deactivated meanwhile gets nothing. A re-run after a crash sends a new link, and the one sent
   * before stops working (an account has one unused link at most).
   */
  const sendInvite = defineJob(SEND_STAFF_INVITE, {
    maxAttempts: 8,
    backoff: { baseMs: 30_000, capMs: 3_600_000 },
    async handle({ accountId }, { job }) {
      const account = await accountOrNull(deps.accounts, accountId);
      if (!account || account.passwordHash || account.status !== 'active') return;
      const token = await deps.accounts.issueSetPasswordLink(account.id);
      await sendOrFailForGood(
        deps.mail,
        linkMail(account, {
          subject: 'You are invited to Clinicbox',
          intro: 'You have a staff account at Clinicbox. Choose your password within 24 hours here:',
          link: `${deps.baseUrl}/staff/set-password?token=${token}`,
          after: ['If you did not expect this email, you can ignore it.'],
          idempotencyKey: `staff-invite-${job.id}-${job.attempts}`,
        }),
      );
    },
  });

  /*
   * Emails a member who forgot their password a link to choose a new one (1 h, once). As for an
   * invitation, the token is made here, never stored in the job, and a member deactivated
   * meanwhile gets nothing; the new link ends the account's other unused link.
   */
  const sendPasswordReset = defineJob(SEND_PASSWORD_RESET, {
    maxAttempts: 5,
    backoff: { baseMs: 30_000, capMs: 600_000 },
    async handle({ accountId }, { job }) {
      const account = await accountOrNull(deps.accounts, accountId);
      if (account?.status !== 'active') return;
      const token = await deps.accounts.issuePasswordResetLink(account.id);
      await sendOrFailForGood(
        deps.mail,
        linkMail(account, {
          subject: 'Reset your Clinicbox password',
          intro:
            'Someone, hopefully you, asked to reset the password of your Clinicbox staff account. Choose a new password within 1 hour here (the link works once):',
          link: `${deps.baseUrl}/staff/login/reset?token=${token}`,
          after: [
            'You will still confirm it’s you with your authenticator app or passkey when you sign in. Every device signed in to your account will be signed out.',
            'If you did not ask for this, ignore this email: your password stays as it is. If it happens again, tell an administrator.',
          ],
          idempotencyKey: `staff-password-reset-${job.id}-${job.attempts}`,
        }),
      );
    },
  });

  return areaJobs(
    sendInvite,
    sendPasswordReset,
    upkeepJob(PRUNE_STAFF_SESSIONS, () => deps.sessions.prune()),
  );
}

/** The account, or null when it was deleted meanwhile (the job then has nothing to send). */
function accountOrNull(accounts: AccountsService, accountId: string) {
  return accounts.get(accountId).catch((e) => {
    if (isAppError(e) && e.code === 'not_found') return null;
    throw e;
  });
}

/** An email with a password link: greeting, `intro`, the link on its own line, then `after`'s paragraphs. */
function linkMail(
  account: { email: string; name: string },
  m: { subject: string; intro: string; link: string; after: string[]; idempotencyKey: string },
): MailMessage {
  const text = [`Hello ${account.name},`, '', m.intro, m.link, ...m.after.flatMap((p) => ['', p])];
  return { to: account.email, subject: m.subject, text: text.join('\n'), idempotencyKey: m.idempotencyKey };
}

/** Sends the email; a refusal the mail server will repeat ends the job instead of retrying. */
async function sendOrFailForGood(mail: MailTransport, message: MailMessage): Promise<void> {
  try {
    await mail.send(message);
  } catch (e) {
    if (e instanceof PermanentMailError) throw new PermanentJobError(e.message);
    throw e;
  }
}
