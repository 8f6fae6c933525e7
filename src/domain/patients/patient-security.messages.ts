import { z } from 'zod';
import { defineMessage } from '../area.ts';
import type { MessageResolver } from '../notifications/index.ts';
import { contactChannel } from './contact-changes.schema.ts';
import type { PatientContactChanges } from './contact-changes.ts';
import { CONTACT_CODE_TTL_MS } from './request-contact-change.ts';

const contactParams = z.object({ patientId: z.string(), channel: contactChannel, value: z.string() });

/** The code that confirms a patient's new email or phone, sent to that new address. */
export const contactCodeMessage = defineMessage({
  type: 'contact-code',
  label: 'Code to confirm a new email or phone',
  essential: true,
  channels: ['email', 'sms'],
  variables: ['clinicName', 'code', 'minutes'],
  examples: { code: '123456', minutes: '15' },
  remadeEachTry: true,
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: confirm your email address',
        body: 'Your code to confirm this email address with {{clinicName}}: {{code}}\n\nEnter it in the app, on your profile, within {{minutes}} minutes. Until then we keep writing to the address you had. If you did not ask for this, ignore this email.',
      },
      fr: {
        subject: '{{clinicName}} : confirmez votre adresse e-mail',
        body: 'Votre code pour confirmer cette adresse e-mail auprès de {{clinicName}} : {{code}}\n\nSaisissez-le dans l’application, sur votre profil, dans les {{minutes}} minutes. D’ici là, nous écrivons toujours à votre adresse précédente. Si vous n’avez rien demandé, ignorez ce message.',
      },
    },
    sms: {
      en: {
        body: '{{code}} is your code to confirm this number with {{clinicName}}. It expires in {{minutes}} minutes.',
      },
      fr: {
        body: '{{code}} est votre code pour confirmer ce numéro auprès de {{clinicName}}. Il expire dans {{minutes}} minutes.',
      },
    },
  },
});

/** Someone sent wrong sign-in codes for the patient's address and was stopped (at most once a day). */
export const signInWarningMessage = defineMessage({
  type: 'sign-in-warning',
  label: 'Warning: wrong sign-in codes',
  essential: true,
  channels: ['email', 'sms'],
  variables: ['clinicName'],
  examples: {},
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: someone tried to sign in to your account',
        body: 'Someone tried to sign in to your {{clinicName}} account with wrong codes, and was stopped. Nobody can sign in without a code or link we send to you: never share them.\n\nYou can still sign in as usual, on the device where you ask for the code. If it was you, ignore this email.',
      },
      fr: {
        subject: '{{clinicName}} : quelqu’un a essayé de se connecter à votre compte',
        body: 'Quelqu’un a essayé de se connecter à votre compte {{clinicName}} avec de mauvais codes, et a été arrêté. Personne ne peut se connecter sans un code ou un lien que nous vous envoyons : ne les partagez jamais.\n\nVous pouvez toujours vous connecter comme d’habitude, sur l’appareil où vous demandez le code. Si c’était vous, ignorez ce message.',
      },
    },
    sms: {
      en: {
        body: '{{clinicName}}: someone tried to sign in to your account with wrong codes and was stopped. Never share a code we send you.',
      },
      fr: {
        body: '{{clinicName}} : quelqu’un a essayé de se connecter à votre compte avec de mauvais codes et a été arrêté. Ne partagez jamais nos codes.',
      },
    },
  },
});

/**
 * The patient area's security messages, resolved at send time: a contact code is made here, when
 * it is sent, and never stored in clear or in the job (a change replaced or confirmed meanwhile
 * sends nothing); the warning carries nothing to resolve.
 */
export function patientSecurityMessages(deps: { contacts: PatientContactChanges }): MessageResolver {
  return {
    messages: [contactCodeMessage, signInWarningMessage],
    async resolve(type, params) {
      if (type === signInWarningMessage.type) return { vars: {} };
      const key = contactParams.parse(params);
      const code = await deps.contacts.issueCode(key);
      if (!code) return null;
      return { vars: { code, minutes: String(CONTACT_CODE_TTL_MS / 60_000) }, patientId: key.patientId };
    },
  };
}
