import { z } from 'zod';
import {
  defineJob,
  type JobDefinition,
  PermanentJobError,
  type ScheduleDefinition,
} from '../../jobs/index.ts';
import { type MailTransport, PermanentMailError } from '../../notify/email/index.ts';
import { PermanentSmsError, type SmsTransport } from '../../notify/sms/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { SmsBudget } from '../notifications/index.ts';
import { type PatientInvites, SEND_PORTAL_INVITE } from './invites.ts';
import { CODE_TTL_MS, type PatientSignIn, SEND_SIGN_IN_CODE } from './sign-in.ts';

export const PRUNE_PATIENT_SESSIONS = 'patients.prune-sessions';

/**
 * Sends a sign-in code. The code is made here, at send time, and never stored in clear or in the
 * job; a retry after a crash makes a new code (killing the one maybe sent), so at most the last
 * email's code works. Unknown addresses get a code only while self-registration is on.
 */
export function patientsJobs(deps: {
  signIn: PatientSignIn;
  invites: PatientInvites;
  clinic: ClinicService;
  mail: MailTransport;
  sms: SmsTransport;
  smsBudget: SmsBudget;
  baseUrl: string;
}): {
  definitions: JobDefinition<any>[];
  schedules: ScheduleDefinition[];
} {
  const sendCode = defineJob({
    name: SEND_SIGN_IN_CODE,
    payload: z.object({
      address: z.string().regex(/^(email|phone):/),
      device: z.string().nullable().default(null),
    }),
    maxAttempts: 5,
    backoff: { baseMs: 5_000, capMs: 60_000 },
    async handle({ address, device }, { job }) {
      const clinic = await deps.clinic.get();
      const issued = await deps.signIn.issueCode(address, clinic.selfRegistration, device);
      if (!issued) return;
      if (address.startsWith('phone:')) {
        // SMS: the code only (no link, no health details), short enough for one segment.
        const text = `${issued.code} is your ${clinic.name} sign-in code. It expires in ${CODE_TTL_MS / 60_000} minutes.`;
        await deps.smsBudget.reserve(text, { essential: true });
        try {
          await deps.sms.send({
            to: address.slice('phone:'.length),
            text,
            idempotencyKey: `patient-code-${job.id}-${job.attempts}`,
          });
        } catch (e) {
          if (e instanceof PermanentSmsError) throw new PermanentJobError(e.message);
          throw e;
        }
        return;
      }
      const email = address.slice('email:'.length);
      try {
        await deps.mail.send({
          to: email,
          subject: `${clinic.name}: your sign-in code`,
          text: [
            `Your code to sign in to ${clinic.name}: ${issued.code}`,
            '',
            ...(device
              ? [
                  'Or open this link on the device where you asked for the code:',
                  `${deps.baseUrl.replace(/\/$/, '')}/app/#/sign-in?email=${encodeURIComponent(email)}&link=${issued.link}`,
                  '',
                ]
              : []),
            `It works once, for ${CODE_TTL_MS / 60_000} minutes. If you did not ask for it, ignore this email.`,
          ].join('\n'),
          idempotencyKey: `patient-code-${job.id}-${job.attempts}`,
        });
      } catch (e) {
        if (e instanceof PermanentMailError) throw new PermanentJobError(e.message);
        throw e;
      }
    },
  });
  /* Emails a portal invitation; the link is made here. A re-run makes a new link (the old stops). */
  const sendInvite = defineJob({
    name: SEND_PORTAL_INVITE,
    payload: z.object({ patientId: z.string(), address: z.string().regex(/^(email|phone):/) }),
    maxAttempts: 5,
    backoff: { baseMs: 30_000, capMs: 600_000 },
    async handle({ patientId, address }, { job }) {
      const issued = await deps.invites.issue(patientId, address);
      if (!issued) return;
      const clinic = await deps.clinic.get();
      const link = `${deps.baseUrl.replace(/\/$/, '')}/app/#/invite?token=${issued.token}`;
      const smsText = `${clinic.name} invites you to its patient app: ${link} (confirm your date of birth; valid 7 days)`;
      // By SMS unless over the monthly budget or refused for good: then by email, when the record has one.
      let fallback: string | null = null;
      if (address.startsWith('phone:')) {
        const allowed = await deps.smsBudget.reserve(smsText, { essential: false });
        try {
          if (allowed) {
            await deps.sms.send({
              to: address.slice('phone:'.length),
              text: smsText,
              idempotencyKey: `portal-invite-${job.id}-${job.attempts}`,
            });
            return;
          }
          fallback = 'over the monthly SMS budget';
        } catch (e) {
          if (!(e instanceof PermanentSmsError)) throw e;
          fallback = e.message;
        }
        if (!issued.patient.email)
          throw new PermanentJobError(`${fallback}, and the patient has no email address`);
      }
      try {
        await deps.mail.send({
          to: fallback ? issued.patient.email! : address.slice('email:'.length),
          subject: `${clinic.name}: book and manage your appointments online`,
          text: [
            `Hello ${issued.patient.firstName},`,
            '',
            `${clinic.name} invites you to its patient app. Open this link within 7 days and confirm your date of birth:`,
            link,
            '',
            'If you did not expect this email, you can ignore it.',
          ].join('\n'),
          idempotencyKey: `portal-invite-${job.id}-${job.attempts}`,
        });
      } catch (e) {
        if (e instanceof PermanentMailError) throw new PermanentJobError(e.message);
        throw e;
      }
    },
  });

  const prune = defineJob({
    name: PRUNE_PATIENT_SESSIONS,
    payload: z.object({}).passthrough(),
    async handle() {
      await deps.signIn.pruneSessions();
    },
  });
  return {
    definitions: [sendCode, sendInvite, prune],
    schedules: [{ id: PRUNE_PATIENT_SESSIONS, cron: '29 3 * * *', job: PRUNE_PATIENT_SESSIONS }],
  };
}
