import { z } from 'zod';

/** Why a record is restricted (`POST /patients/{id}/restrict`): staff's words, never audited. */
export const restrictInput = z.object({
  reason: z.string().trim().min(1, 'Say why the record is restricted.').max(500),
});
export type RestrictInput = z.input<typeof restrictInput>;
