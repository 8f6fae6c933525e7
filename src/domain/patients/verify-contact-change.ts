import { randomInt } from 'node:crypto';
import { AppError, notFound, validated } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import {
  type ContactChannel,
  deleteContactChange,
  findContactChange,
  setContactCode,
  spendContactTry,
} from './contact-changes.repo.ts';
import { verifyContactInput } from './contact-changes.schema.ts';
import type { ContactChangesDeps } from './contact-changes.ts';
import { findPatientById, type Patient, updatePatient } from './patients.repo.ts';
import { keepRecordChanges } from './record-history.ts';
import { addressOfContact, CONTACT_CODE_TTL_MS } from './request-contact-change.ts';
import { hashCode, MAX_WRONG_TRIES, sameHash } from './sign-in-codes.ts';

/**
 * The message's half: a fresh code for the pending change of `value`, its hash kept (bound to the
 * address, like a sign-in code) and the code returned to be sent; null when the change was
 * replaced or confirmed meanwhile (nothing to send). A retry makes a new code, killing the old.
 */
export async function issueContactCode(
  deps: Pick<ContactChangesDeps, 'db' | 'clock'>,
  key: { patientId: string; channel: ContactChannel; value: string },
): Promise<string | null> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const codeHash = hashCode(addressOfContact(key.channel, key.value), code);
  const expiresAt = new Date(deps.clock.now().getTime() + CONTACT_CODE_TTL_MS);
  const set = await deps.db.tx((ctx) => setContactCode(ctx, key, codeHash, expiresAt));
  return set ? code : null;
}

/**
 * The patient gives back the code sent to their new email or phone: right, and it becomes the
 * contact messages go to; wrong, and one of the code's 5 tries is spent (then, or once it expires,
 * a new code is needed). 404 when nothing is pending; 422 `code_invalid` otherwise. Audited either way.
 */
export async function verifyContactChange(
  deps: ContactChangesDeps,
  actor: Actor & { id: string },
  input: unknown,
): Promise<Patient> {
  const { channel, code } = validated(verifyContactInput, input);
  const patientId = actor.id;
  const event = (action: string) => ({
    action,
    entity: 'patient',
    entityId: patientId,
    patientId,
    details: { channel },
  });
  const outcome = await deps.db.tx(async (ctx) => {
    const now = deps.clock.now();
    const change = await spendContactTry(ctx, patientId, channel, now, MAX_WRONG_TRIES);
    const right =
      change && sameHash(hashCode(addressOfContact(channel, change.value), code), change.codeHash);
    if (!change || !right) {
      if (!change && !(await findContactChange(ctx, patientId, channel))) return 'none';
      await deps.audit.record(ctx, actor, event('patient.contact-verify-failed'));
      return 'wrong';
    }
    const before = await findPatientById(ctx, patientId);
    const patient = await updatePatient(ctx, patientId, { [channel]: change.value, updatedAt: now });
    if (before && patient) await keepRecordChanges(ctx, actor, before, patient, [channel], now);
    await deleteContactChange(ctx, patientId, channel);
    await deps.audit.record(ctx, actor, event('patient.contact-verified'));
    return patient ?? 'none';
  });
  if (outcome === 'none') throw notFound('that_contact_change');
  if (outcome === 'wrong') throw new AppError('code_invalid', 'code_invalid', { status: 422 });
  return outcome;
}
