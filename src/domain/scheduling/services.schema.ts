import { z } from 'zod';

const minutes = (label: string, max: number) =>
  z.coerce
    .number({ error: `${label}: enter a number of minutes.` })
    .int(`${label}: whole minutes.`)
    .min(0, `${label}: 0 or more.`)
    .max(max, `${label}: at most ${max}.`);

/** A service as staff edit it. Checkboxes arrive as booleans. */
export const serviceInput = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  description: z.string().trim().max(2000),
  durationMin: minutes('Duration', 8 * 60).refine((n) => n >= 5, 'Duration: at least 5 minutes.'),
  bufferBeforeMin: minutes('Buffer before', 240),
  bufferAfterMin: minutes('Buffer after', 240),
  onlineBookable: z.boolean(),
  newPatientsAllowed: z.boolean(),
  requiresApproval: z.boolean(),
  /** Booking asks for a reason for the visit (the patient or staff may leave it empty). */
  askReason: z.boolean().default(false),
  /** Reminder offsets for this service ("48, 2" or a list); empty or absent: the clinic's. */
  reminderHours: z
    .preprocess(
      (v) => (typeof v === 'string' ? (v.trim() === '' ? null : v.split(/[,;\s]+/).filter(Boolean)) : v),
      z
        .array(
          z.coerce
            .number({ error: 'Reminders: hours as numbers, such as 48, 2.' })
            .int('Reminders: whole hours.')
            .min(1, 'Reminders: 1 hour or more.')
            .max(24 * 14, 'Reminders: at most 14 days.'),
        )
        .max(4, 'At most 4 reminders.')
        .nullable(),
    )
    .optional()
    .transform((v) => v ?? null),
  /**
   * The note template a note started from this service's appointment begins with (a chart
   * template id; empty: none). The chart uses it only while it is a note template.
   */
  defaultNoteTemplateId: z
    .string()
    .trim()
    .max(64)
    .nullable()
    .optional()
    .transform((v) => v || null),
});
export type ServiceInput = z.infer<typeof serviceInput>;
