import { z } from 'zod';
import { patientInput } from './patients.schema.ts';

/*
 * What staff send to change a patient record (PATCH): only the fields given change; a blank or
 * null clears an optional one. `version` is the record's version as read: a stale one is refused
 * (409) and nothing is saved. Messages are plain English: only staff meet them.
 */

/** Absent: unchanged; null or blanks: cleared; else the trimmed text, checked by `schema`. */
const clearable = (schema: z.ZodType<string, string>) =>
  z
    .union([z.null(), z.string().trim()])
    .transform((v) => (v === '' ? null : v))
    .pipe(schema.nullable())
    .optional();

const text = (max: number, what: string) =>
  clearable(z.string().max(max, `${what} is at most ${max} characters.`));

/** The sexes a record may say (null: not recorded). */
export const patientSexes = ['female', 'male', 'other', 'unknown'] as const;
/** The kinds of identifier a record may hold. */
export const identifierTypes = ['insurance', 'national', 'other'] as const;

const identifier = z.strictObject({
  type: z.enum(identifierTypes, 'Choose insurance, national or other.'),
  value: z
    .string()
    .trim()
    .min(1, 'Give the number.')
    .max(64, 'An identifier is at most 64 characters.')
    .regex(/^[\p{L}\p{N} ./-]+$/u, 'Letters, digits, spaces, dots, dashes and slashes only.'),
});

/** A typed identifier as stored (the `identifiers` column holds a JSON list of them). */
export type PatientIdentifier = z.infer<typeof identifier>;

/** The fields of a change of record, each optional; `version` is required. */
export const recordChangeInput = z.strictObject({
  version: z.int('Send the record’s version as read.').min(1),
  firstName: patientInput.shape.firstName.optional(),
  lastName: patientInput.shape.lastName.optional(),
  dateOfBirth: patientInput.shape.dateOfBirth.optional(),
  sex: z.enum(patientSexes, 'Choose female, male, other or unknown.').nullable().optional(),
  email: clearable(z.email('Enter an email address such as name@example.com.').max(254)),
  phone: clearable(z.string().regex(/^\+?[\d ()-]{6,20}$/, 'Enter a phone number.')),
  address: text(500, 'The address'),
  emergencyContact: z
    .strictObject({
      name: text(200, 'The name'),
      relation: text(100, 'The relation'),
      phone: clearable(z.string().regex(/^\+?[\d ()-]{6,20}$/, 'Enter a phone number.')),
    })
    .optional(),
  referrer: z
    .strictObject({
      name: text(200, 'The name'),
      practice: text(200, 'The practice'),
      contact: text(200, 'The contact'),
    })
    .optional(),
  identifiers: z.array(identifier).max(10, 'At most 10 identifiers.').optional(),
});
export type RecordChangeInput = z.input<typeof recordChangeInput>;

/** Archive or unarchive, with the version read. */
export const recordVersionInput = z.strictObject({ version: z.int().min(1).optional() });

/** The kinds of alert, and their severities. */
export const alertKinds = ['allergy', 'medical', 'admin'] as const;
export const alertSeverities = ['low', 'moderate', 'high'] as const;
export type AlertKind = (typeof alertKinds)[number];

/** A new alert on a chart. Short: it is a banner, seen by every staff member who handles the patient. */
export const alertInput = z.strictObject({
  kind: z.enum(alertKinds, 'Choose allergy, medical or admin.'),
  text: z.string().trim().min(1, 'Write the alert.').max(200, 'An alert is at most 200 characters.'),
  severity: z.enum(alertSeverities, 'Choose low, moderate or high.').nullable().optional(),
});

/** Resolving an alert (it stays on the chart's history, no longer in the banner). */
export const alertChangeInput = z.strictObject({ resolved: z.literal(true, 'Send {"resolved": true}.') });
