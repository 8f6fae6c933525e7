import { z } from 'zod';
import { parseAddress } from '../../lib/contact.ts';
import { defineMessage } from '../area.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { MessageResolver } from '../notifications/index.ts';
import type { PatientInvites } from './invites.ts';
import { maskAddress } from './login-added.ts';
import { CODE_TTL_MS, type PatientSignIn } from './sign-in.ts';

const codeParams = z.object({
  address: z.string().regex(/^(email|phone):/),
  device: z.string().nullable(),
});
const inviteParams = z.object({ patientId: z.string(), address: z.string() });
const loginAddedParams = z.object({ added: z.string() });

/** The one-time code (and, by email, link) that signs a patient in to the app. */
export const signInCodeMessage = defineMessage({
  type: 'sign-in-code',
  label: 'Sign-in code',
  essential: true,
  channels: ['email', 'sms'],
  variables: ['clinicName', 'code', 'minutes', 'link'],
  examples: { code: '123456', minutes: '10', link: 'https://clinic.example/app/' },
  remadeEachTry: true,
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: your sign-in code',
        body: 'Your code to sign in to {{clinicName}}: {{code}}\n\nOr open this link on the device where you asked for the code: {{link}}\n\nIt works once, for {{minutes}} minutes. If you did not ask for it, ignore this email.',
      },
      fr: {
        subject: '{{clinicName}} : votre code de connexion',
        body: 'Votre code pour vous connecter à {{clinicName}} : {{code}}\n\nOu ouvrez ce lien sur l’appareil où vous avez demandé le code : {{link}}\n\nIl fonctionne une fois, pendant {{minutes}} minutes. Si vous ne l’avez pas demandé, ignorez ce message.',
      },
    },
    sms: {
      en: { body: '{{code}} is your {{clinicName}} sign-in code. It expires in {{minutes}} minutes.' },
      fr: {
        body: '{{code}} est votre code de connexion {{clinicName}}. Il expire dans {{minutes}} minutes.',
      },
    },
  },
});

/** An invitation to the patient app, with a link made when it is sent. */
export const portalInviteMessage = defineMessage({
  type: 'portal-invite',
  label: 'Invitation to the patient app',
  essential: false,
  channels: ['email', 'sms'],
  variables: ['patientName', 'clinicName', 'link'],
  examples: { patientName: 'Alex', link: 'https://clinic.example/app/' },
  remadeEachTry: true,
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: book and manage your appointments online',
        body: 'Hello {{patientName}},\n\n{{clinicName}} invites you to its patient app. Open this link within 7 days and confirm your date of birth:\n{{link}}\n\nIf you did not expect this email, you can ignore it.',
      },
      fr: {
        subject: '{{clinicName}} : prenez et gérez vos rendez-vous en ligne',
        body: 'Bonjour {{patientName}},\n\n{{clinicName}} vous invite à utiliser son application patient. Ouvrez ce lien dans les 7 jours et confirmez votre date de naissance :\n{{link}}\n\nSi vous n’attendiez pas ce message, ignorez-le.',
      },
    },
    sms: {
      en: {
        body: '{{clinicName}} invites you to its patient app: {{link}} (confirm your date of birth; valid 7 days)',
      },
      fr: {
        body: '{{clinicName}} vous invite sur son application patient : {{link}} (date de naissance demandée ; 7 jours)',
      },
    },
  },
});

/** A security notice: another address can now sign in to the patient's record (it is named partly hidden). */
export const loginAddedMessage = defineMessage({
  type: 'login-added',
  label: 'New sign-in address (security notice)',
  essential: true,
  channels: ['email', 'sms'],
  variables: ['clinicName', 'added'],
  examples: { added: 'm…y@example.org' },
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: a new address can sign in to your patient app',
        body: 'Hello,\n\nA new address can now sign in to your {{clinicName}} patient app and see your appointments: {{added}}\n\nIf you asked for it, there is nothing to do. If not, remove it in the app (Profile, Who can sign in) or call the clinic.',
      },
      fr: {
        subject: '{{clinicName}} : nouvelle adresse de connexion à votre application patient',
        body: 'Bonjour,\n\nUne nouvelle adresse peut désormais se connecter à votre application patient {{clinicName}} et voir vos rendez-vous : {{added}}\n\nSi vous l’avez demandé, il n’y a rien à faire. Sinon, retirez-la dans l’application (Profil, Qui peut se connecter) ou appelez le cabinet.',
      },
    },
    sms: {
      en: {
        body: '{{clinicName}}: a new address can sign in to your patient app: {{added}}. Not you? Remove it in the app or call the clinic.',
      },
      fr: {
        body: '{{clinicName}} : nouvelle adresse de connexion à votre application patient : {{added}}. Pas vous ? Retirez-la dans l’application ou appelez le cabinet.',
      },
    },
  },
});

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
