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
});
export type ServiceInput = z.infer<typeof serviceInput>;
