import { z } from 'zod';
import { issueKey } from '../../lib/messages.ts';

/**
 * Patients' forms (issue 17): a form template version sent to a patient, filled in the app
 * (saved as they go, each save naming the version read), submitted once with a signature, then
 * reviewed by clinical staff.
 */
export const formStatuses = ['sent', 'in_progress', 'submitted', 'reviewed'] as const;
export type FormStatus = (typeof formStatuses)[number];

/** Statuses in which the patient may still change the answers. */
export const openStatuses: readonly FormStatus[] = ['sent', 'in_progress'];

const id = z.string().trim().min(1).max(64);
const answersObject = z.record(z.string(), z.unknown(), { error: 'Answers as an object keyed by field id.' });
const version = z.int({ error: 'The version of the form you read.' }).min(1);

/** Staff send a form template to a patient (from the chart), optionally for one of their appointments. */
export const sendFormInput = z.strictObject({
  templateId: id,
  appointmentId: id.nullable().optional(),
});

/** A save: the version read (else 409 version_conflict) and the answers that changed (merged; null clears). */
export const saveAnswersInput = z.strictObject({ version, answers: answersObject });

/** A drawn signature (PNG data URL) or a typed name with the agreement ticked. */
export const signatureInput = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('drawn'),
      image: z
        .string()
        .max(400_000, 'The drawing is too large.')
        .regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, 'A drawn signature as a PNG data URL.'),
      name: z.string().trim().max(200).optional(),
    }),
    z.strictObject({
      kind: z.literal('typed'),
      name: z.string().trim().min(1, 'Type your name.').max(200, 'At most 200 characters.'),
      agreed: z.literal(true, { error: issueKey('form_signature_required') }),
    }),
  ],
  { error: issueKey('form_signature_required') },
);
export type SignatureInput = z.infer<typeof signatureInput>;

/** Submitting: the version read, and the signature (required when the template has a signature field). */
export const submitInput = z.strictObject({
  version,
  signature: signatureInput.optional(),
});

/** The form templates a service sends with each booking (admins). */
export const serviceFormsInput = z.strictObject({
  templateIds: z.array(id).max(20, 'At most 20 forms.'),
});
