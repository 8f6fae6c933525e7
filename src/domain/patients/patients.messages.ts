import { z } from 'zod';
import { parseAddress } from '../../lib/contact.ts';
import { defineMessages } from '../area.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { MessageResolver } from '../notifications/index.ts';
import type { PatientInvites } from './invites.ts';
import { maskAddress } from './login-added.ts';
import catalogue from './patients.messages.json' with { type: 'json' };
import { CODE_TTL_MS, type PatientSignIn } from './sign-in.ts';

const codeParams = z.object({
  address: z.string().regex(/^(email|phone):/),
  device: z.string().nullable(),
});
const inviteParams = z.object({ patientId: z.string(), address: z.string() });
const loginAddedParams = z.object({ added: z.string() });

const messages = defineMessages(catalogue);

/** The one-time code (and, by email, link) that signs a patient in to the app. */
export const signInCodeMessage = messages['sign-in-code'];

/** An invitation to the patient app, with a link made when it is sent. */
export const portalInviteMessage = messages['portal-invite'];

/** A security notice: another address can now sign in to the patient's record (it is named partly hidden). */
export const loginAddedMessage = messages['login-added'];

/**
 * The patient area's messages, resolved at send time by the notifications job. A sign-in code is
 * made here, when it is sent, and never stored in clear or in the job; a retry after a crash
 * makes a new code (killing the one maybe sent), so at most the last message's code works.
 * Unknown addresses get a code only while self-registration is on. A portal invitation's link is
 * made here too (a re-run makes a new link; the old one stops). A new-login notice names the
 * address partly hidden.
 */
export function patientsMessages(deps: {
  signIn: PatientSignIn;
  invites: PatientInvites;
  clinic: ClinicService;
  baseUrl: string;
}): MessageResolver {
  const base = deps.baseUrl;
  return {
    messages: [signInCodeMessage, portalInviteMessage, loginAddedMessage],
    async resolve(type, params, target) {
      if (type === signInCodeMessage.type) {
        const { address, device } = codeParams.parse(params);
        const clinic = await deps.clinic.get();
        const issued = await deps.signIn.issueCode(address, clinic.selfRegistration, device);
        if (!issued) return null;
        const to = parseAddress(address);
        const email = to?.kind === 'email' ? to.value : null;
        // The link signs in only in the browser that asked for the code; SMS carry the code alone.
        const link =
          email && device && target.channel === 'email'
            ? `${base}/app/#/sign-in?email=${encodeURIComponent(email)}&link=${issued.link}`
            : '';
        return {
          vars: { code: issued.code, minutes: String(CODE_TTL_MS / 60_000), link },
          patientId: issued.patientId,
        };
      }
      if (type === loginAddedMessage.type) {
        return { vars: { added: maskAddress(loginAddedParams.parse(params).added) } };
      }
      const { patientId, address } = inviteParams.parse(params);
      const issued = await deps.invites.issue(patientId, address);
      if (!issued) return null;
      return {
        vars: { patientName: issued.patient.firstName, link: `${base}/app/#/invite?token=${issued.token}` },
      };
    },
  };
}
