import type { Context } from 'hono';
import type { Patient } from '../../domain/patients/index.ts';
import { AppError } from '../../lib/errors.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/**
 * Makes the patient a staff form typed in ("Add a patient", or a new patient in the booking
 * panel). The form carries its own id (`submission`), used as the idempotency key: sent twice —
 * a double click, at once or after — it makes one patient. The same form sent again with other
 * details (back after adding, another name typed) is another patient.
 */
export function createFromForm(deps: HttpDeps, c: Context<AppEnv>, input: unknown, submission: string) {
  const actor = actorOf(c);
  if (!submission) return deps.patients.create(actor, input);
  return deps.patients.createOnce(actor, input, submission).then(
    ({ patient }) => patient,
    (e: unknown): Promise<Patient> => {
      if (!(e instanceof AppError && e.code === 'idempotency_key_reused')) throw e;
      return deps.patients.create(actor, input);
    },
  );
}
