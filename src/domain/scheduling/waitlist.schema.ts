import { z } from 'zod';
import { issueKey } from '../../lib/messages.ts';

export const waitlistInput = z
  .strictObject({
    /** Staff name the patient; a patient may leave it out (themselves) or name a dependant. */
    patientId: z.string().min(1, issueKey('choose_patient')).max(64).optional(),
    serviceId: z.string().min(1, issueKey('choose_service')).max(64),
    practitionerId: z.string().max(64).optional(),
    from: z.iso.date({ error: issueKey('from_date_invalid') }),
    to: z.iso.date({ error: issueKey('to_date_invalid') }),
  })
  .refine((w) => w.from <= w.to, { message: issueKey('to_before_from'), path: ['to'] });
export type WaitlistInput = z.input<typeof waitlistInput>;
