import { z } from 'zod';

/** What a document is about. The clinical ones need the `clinical.*` permissions (documents.policy.ts). */
export const documentCategories = [
  'referral',
  'lab-result',
  'imaging',
  'letter',
  'consent',
  'id-insurance',
  'other',
] as const;
export type DocumentCategory = (typeof documentCategories)[number];

/** Categories that hold clinical information (read: `clinical.read`; change: `clinical.write`). */
export const clinicalCategories: readonly DocumentCategory[] = [
  'referral',
  'lab-result',
  'imaging',
  'letter',
  'consent',
];

/** How staff see each category. */
export const categoryLabels: Record<DocumentCategory, string> = {
  referral: 'Referral',
  'lab-result': 'Lab result',
  imaging: 'Imaging',
  letter: 'Letter',
  consent: 'Consent',
  'id-insurance': 'ID / insurance',
  other: 'Other',
};

const category = z.enum(documentCategories, { error: 'Choose a category.' });
const title = z.string().trim().max(200, 'At most 200 characters.');
const localDate = z.iso.date({ error: 'A date as YYYY-MM-DD.' });
/** 'true', 'on' or '1' (a checkbox, a form field) or a JSON boolean. */
const flag = z
  .union([z.boolean(), z.enum(['true', 'on', '1', 'false', 'off', '0', ''])])
  .transform((v) => v === true || v === 'true' || v === 'on' || v === '1');
const optionalId = z
  .string()
  .trim()
  .max(64)
  .transform((v) => v || null);

/**
 * The fields of an upload (multipart form fields, so text): the file's category, its title
 * (default: the file's name), the document's own date (default: today at the clinic) and
 * appointment, and whether the patient sees it.
 */
export const uploadFields = z.object({
  category: category.default('other'),
  title: title.optional(),
  documentDate: localDate.or(z.literal('').transform(() => undefined)).optional(),
  appointmentId: optionalId.optional(),
  sharedWithPatient: flag.optional(),
});
export type UploadFields = z.input<typeof uploadFields>;

/**
 * A patient's own upload: a category (default other), a title, and whose record it goes to (a
 * guardian names a dependant; default: their own); staff review it.
 */
export const ownUploadFields = z.object({
  category: category.default('other'),
  title: title.optional(),
  patientId: optionalId.optional(),
});

/** What staff may change about a document. */
export const documentChanges = z.strictObject({
  title: title.min(1, 'Give the document a title.').optional(),
  category: category.optional(),
  documentDate: localDate.optional(),
  appointmentId: optionalId.nullable().optional(),
  sharedWithPatient: flag.optional(),
  /** Staff have looked at a patient's upload (Inbox). */
  reviewed: z.literal(true).optional(),
});
export type DocumentChanges = z.input<typeof documentChanges>;

/** Why a document is deleted (kept with the soft-deleted row until it is purged). */
export const deleteInput = z.object({
  reason: z.string().trim().min(3, 'Say why the document is deleted.').max(500, 'At most 500 characters.'),
});

/** Filters of a chart's document list. */
export const listFilters = z.object({
  category: category.optional().catch(undefined),
  from: localDate.optional().catch(undefined),
  to: localDate.optional().catch(undefined),
});
export type ListFilters = z.input<typeof listFilters>;
