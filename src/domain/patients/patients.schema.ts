import { DateTime } from 'luxon';
import { z } from 'zod';
import { issueKey } from '../../lib/messages.ts';
import { quietHoursSchema } from '../clinic/index.ts';

const optional = (schema: z.ZodType<string, string>) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? null : v))
    .pipe(schema.nullable())
    .optional()
    .transform((v) => v ?? null);

/** What staff enter to create a patient record (the portal adds sign-in later). */
export const patientInput = z.strictObject({
  firstName: z.string().trim().min(1, issueKey('first_name_required')).max(100),
  lastName: z.string().trim().min(1, issueKey('last_name_required')).max(100),
  dateOfBirth: z
    .string()
    .trim()
    .refine((v) => {
      const d = DateTime.fromISO(v, { zone: 'UTC' });
      return /^\d{4}-\d{2}-\d{2}$/.test(v) && d.isValid && d.year >= 1900 && d <= DateTime.utc();
    }, issueKey('date_of_birth_invalid')),
  email: optional(z.email(issueKey('email_invalid')).max(254)),
  phone: optional(z.string().regex(/^\+?[\d ()-]{6,20}$/, issueKey('phone_invalid'))),
});
export type PatientInput = z.input<typeof patientInput>;

/**
 * Lower-cased, accent-free "first last" for search-as-you-type, punctuation read as a space
 * (Jean-Luc O'Brien → "jean luc o brien"), so a query put through it finds each word.
 */
export const searchNameOf = (firstName: string, lastName: string): string =>
  `${firstName} ${lastName}`
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * What a patient may change about themselves (names and birth date stay with the clinic). Email
 * and phone here are where messages go; the address they sign in with stays the one they verified.
 */
export const ownProfileInput = z
  .object({
    preferredLanguage: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, issueKey('language_tag_invalid'))
      .nullable()
      .optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[\d ()-]{6,20}$/, issueKey('phone_invalid'))
      .nullable()
      .optional(),
    email: z.email(issueKey('email_invalid')).max(254).toLowerCase().nullable().optional(),
    /** Kept for older apps; the same consents as `notifications.email` and `notifications.sms`. */
    messagesByEmail: z.boolean().optional(),
    messagesBySms: z.boolean().optional(),
    /** Per channel opt-in/out, and SMS quiet hours (clinic time zone; null = none). */
    notifications: z
      .strictObject({
        email: z.boolean().optional(),
        sms: z.boolean().optional(),
        push: z.boolean().optional(),
        quietHours: quietHoursSchema.nullable().optional(),
      })
      .optional(),
  })
  .strict();
