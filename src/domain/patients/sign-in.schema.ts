import { z } from 'zod';
import { e164, emailAddress, phoneAddress } from '../../lib/contact.ts';
import { validated } from '../../lib/errors.ts';
import { issueKey } from '../../lib/messages.ts';
import type { Actor } from '../audit/index.ts';
import type { Patient } from './patients.repo.ts';

const email = z.email(issueKey('email_invalid')).max(254);
/** Sign in by email or by phone (one of them). */
export const startInput = z.union([z.strictObject({ email }), z.strictObject({ phone: e164 })]);
const code = z.string().regex(/^\d{6}$/, issueKey('code_six_digits'));
export const verifyInput = z.union([z.strictObject({ email, code }), z.strictObject({ phone: e164, code })]);

export const verifyLinkInput = z.strictObject({
  email,
  token: z.string().regex(/^[\w-]{43}$/, issueKey('link_incomplete')),
});

/**
 * Parses with the email or the phone branch, chosen by which key the body has, so the error
 * names the field that is wrong (a union's error would only say "invalid input").
 */
export function byChannel<E, P>(
  input: unknown,
  [emailSchema, phoneSchema]: readonly [z.ZodType<E>, z.ZodType<P>],
): E | P {
  const hasPhone = typeof input === 'object' && input !== null && 'phone' in input;
  return hasPhone ? validated(phoneSchema, input) : validated(emailSchema, input);
}

/** The sign-in address: `email:<lower-case>` or `phone:<E.164>`. */
export const addressOfInput = (input: { email: string } | { phone: string }) =>
  'email' in input ? emailAddress(input.email) : phoneAddress(input.phone);

export interface SignInMeta {
  actor: Actor;
  ip?: string | null;
  userAgent?: string | null;
  /** The hash of this browser's sign-in cookie (set when it asked for a code), if it sent one. */
  device?: string | null;
}

export interface SignedIn {
  token: string;
  session: PatientSession;
  patient: Patient | null;
}

export interface PatientSession {
  id: string;
  address: string;
  patientId: string | null;
  createdAt: Date;
  expiresAt: Date;
}
