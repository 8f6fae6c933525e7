import { z } from 'zod';
import { parseAddress } from '../../lib/contact.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { MessageResolver } from '../notifications/index.ts';
import type { PatientInvites } from './invites.ts';
import { CODE_TTL_MS, type PatientSignIn } from './sign-in.ts';

const codeParams = z.object({
  address: z.string().regex(/^(email|phone):/),
  device: z.string().nullable(),
});
const inviteParams = z.object({ patientId: z.string(), address: z.string() });

/**
 * The patient area's messages, resolved at send time by the notifications job. A sign-in code is
 * made here, when it is sent, and never stored in clear or in the job; a retry after a crash
 * makes a new code (killing the one maybe sent), so at most the last message's code works.
 * Unknown addresses get a code only while self-registration is on. A portal invitation's link is
 * made here too (a re-run makes a new link; the old one stops).
 */
export function patientsMessages(deps: {
  signIn: PatientSignIn;
  invites: PatientInvites;
  clinic: ClinicService;
  baseUrl: string;
}): MessageResolver {
  const base = deps.baseUrl;
  return {
    types: ['sign-in-code', 'portal-invite'],
    async resolve(type, params, target) {
      if (type === 'sign-in-code') {
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
      const { patientId, address } = inviteParams.parse(params);
      const issued = await deps.invites.issue(patientId, address);
      if (!issued) return null;
      return {
        vars: { patientName: issued.patient.firstName, link: `${base}/app/#/invite?token=${issued.token}` },
      };
    },
  };
}
