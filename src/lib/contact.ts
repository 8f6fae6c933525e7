import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { issueKey } from './messages.ts';

/**
 * Contact addresses as Clinicbox stores and passes them: `email:<lower-case>` or
 * `phone:<E.164>` (sign-in logins, codes, invitations, one-off messages such as a test).
 */
export type ContactKind = 'email' | 'phone';

/** An E.164 number from what a person typed in international form (+33 6 12 34 56 78), via libphonenumber-js. */
export const e164 = z
  .string()
  .trim()
  .max(40)
  .transform((v, ctx) => {
    const n = parsePhoneNumberFromString(v);
    if (!v.startsWith('+') || !n?.isValid()) {
      ctx.addIssue({ code: 'custom', message: issueKey('mobile_number_invalid') });
      return z.NEVER;
    }
    return n.number;
  });

/** The address of an email: `email:<lower-case>`. */
export const emailAddress = (email: string): string => `email:${email.trim().toLowerCase()}`;

/** The address of a phone number already in E.164: `phone:<E.164>`. */
export const phoneAddress = (number: string): string => `phone:${number}`;

/** An address's kind and value; null when it is neither an email nor a phone address. */
export function parseAddress(address: string): { kind: ContactKind; value: string } | null {
  const i = address.indexOf(':');
  const kind = address.slice(0, i);
  if (i < 0 || (kind !== 'email' && kind !== 'phone')) return null;
  return { kind, value: address.slice(i + 1) };
}
