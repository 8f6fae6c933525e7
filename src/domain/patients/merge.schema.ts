import { z } from 'zod';

/** Which record merges into the one named by the route (`POST /patients/{id}/merge`). */
export const mergeInput = z.object({
  fromPatientId: z.string().trim().min(1, 'Choose the record to merge in.').max(100),
});
export type MergeInput = z.input<typeof mergeInput>;
