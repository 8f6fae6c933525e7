import { z } from 'zod';

export const waitlistInput = z
  .strictObject({
    /** Staff name the patient; a patient may leave it out (themselves) or name a dependant. */
    patientId: z.string().min(1, 'Choose a patient.').max(64).optional(),
    serviceId: z.string().min(1, 'Choose a service.').max(64),
    practitionerId: z.string().max(64).optional(),
    from: z.iso.date({ error: 'from: a date as YYYY-MM-DD.' }),
    to: z.iso.date({ error: 'to: a date as YYYY-MM-DD.' }),
  })
  .refine((w) => w.from <= w.to, { message: 'to must not be before from.', path: ['to'] });
export type WaitlistInput = z.input<typeof waitlistInput>;
