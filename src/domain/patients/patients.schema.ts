import { DateTime } from 'luxon';
import { z } from 'zod';
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
  firstName: z.string().trim().min(1, 'Enter the first name.').max(100),
  lastName: z.string().trim().min(1, 'Enter the last name.').max(100),
  dateOfBirth: z
    .string()
    .trim()
    .refine((v) => {
      const d = DateTime.fromISO(v, { zone: 'UTC' });
      return /^\d{4}-\d{2}-\d{2}$/.test(v) && d.isValid && d.year >= 1900 && d <= DateTime.utc();
    }, 'Enter the date of birth as YYYY-MM-DD.'),
  email: optional(z.email('Enter a valid email address.').max(254)),
  phone: optional(z.string().regex(/^\+?[\d ()-]{6,20}$/, 'Enter a phone number such as +44 20 7946 0000.')),
});
export type PatientInput = z.input<typeof patientInput>;

/** Lower-cased, accent-free "first last" for search-as-you-type. */
export const searchNameOf = (firstName: string, lastName: string): string =>
  `${firstName} ${lastName}`
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/**
 * What a patient may change about themselves (names and birth date stay with the clinic). Email
 * and phone here are where messages go; the address they sign in with stays the one they verified.
 */
export const ownProfileInput = z
  .object({
    preferredLanguage: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'Use a language tag such as en or fr.')
      .nullable()
      .optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[\d ()-]{6,20}$/, 'Enter a phone number such as +44 20 7946 0000.')
      .nullable()
      .optional(),
    email: z.email('Enter a valid email address.').max(254).toLowerCase().nullable().optional(),
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
