import { z } from 'zod';
import { e164 } from '../../lib/contact.ts';
import { issueKey } from '../../lib/messages.ts';

/** Which of a patient's contacts a change is for. */
export const contactChannel = z.enum(['email', 'phone']);

/** The code sent to a new email or phone, given back to confirm it. */
export const verifyContactInput = z.strictObject({
  channel: contactChannel,
  code: z.string().regex(/^\d{6}$/, issueKey('code_six_digits')),
});

/** Asks for a new code for a pending change. */
export const resendContactInput = z.strictObject({ channel: contactChannel });

/** A phone for messages must take a code by SMS: in international form, kept as E.164. */
export const phoneForMessages = z.strictObject({ phone: e164 });
