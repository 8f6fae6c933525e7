import { z } from 'zod';

const date = z.iso.date({ error: 'Enter a date.' });
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time such as 09:30.');

export const timeOffInput = z.object({
  practitionerId: z.string().min(1, 'Choose a practitioner.'),
  fromDate: date,
  fromTime: time.default('00:00'),
  toDate: date,
  toTime: time.default('23:59'),
  reason: z.string().trim().max(200).default(''),
});
export const closureInput = z.object({
  date,
  reason: z.string().trim().min(1, 'Say why (shown to staff).').max(200),
});
export const extraHoursInput = z
  .object({ practitionerId: z.string().min(1, 'Choose a practitioner.'), date, start: time, end: time })
  .refine((x) => x.end > x.start, { message: 'The hours must end after they start.', path: ['end'] });
export const roomInput = z.object({
  name: z.string().trim().min(1, 'Name the room.').max(80),
  isDefault: z.boolean(),
});
