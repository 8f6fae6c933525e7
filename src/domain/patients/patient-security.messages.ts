import { z } from 'zod';
import { defineMessages } from '../area.ts';
import type { MessageResolver } from '../notifications/index.ts';
import { contactChannel } from './contact-changes.schema.ts';
import type { PatientContactChanges } from './contact-changes.ts';
import catalogue from './patient-security.messages.json' with { type: 'json' };
import { CONTACT_CODE_TTL_MS } from './request-contact-change.ts';

const contactParams = z.object({ patientId: z.string(), channel: contactChannel, value: z.string() });

const messages = defineMessages(catalogue);

/** The code that confirms a patient's new email or phone, sent to that new address. */
export const contactCodeMessage = messages['contact-code'];

/** Someone sent wrong sign-in codes for the patient's address and was stopped (at most once a day). */
export const signInWarningMessage = messages['sign-in-warning'];

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
