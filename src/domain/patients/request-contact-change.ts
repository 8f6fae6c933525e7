import type { DbCtx } from '../../db/client.ts';
import { emailAddress, phoneAddress } from '../../lib/contact.ts';
import { AppError, notFound, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import {
  type ContactChannel,
  deleteContactChange,
  findContactChange,
  saveContactChange,
} from './contact-changes.repo.ts';
import { resendContactInput } from './contact-changes.schema.ts';
import type { ContactChangesDeps } from './contact-changes.ts';
import { updateCodeRow } from './sign-in.repo.ts';
import { loadCounters, MAX_SENDS_PER_HOUR } from './sign-in-codes.ts';

/**
 * How long a confirmation code works, and how often a patient may have one sent for a channel.
 * Sends are also counted per address with the sign-in codes (5 an hour: anyone could ask for those
 * at /auth/start already, so sharing the count gives nobody a new way to flood or lock an address);
 * the per-channel wait bounds how fast one patient can spread codes over many addresses, within
 * the 15 minutes after a sign-in in which a contact may change at all.
 */
export const CONTACT_CODE_TTL_MS = 15 * 60_000;
export const CONTACT_CODE_EVERY_MS = 60_000;

/** The sign-in style address a channel's value is sent to. */
export const addressOfContact = (channel: ContactChannel, value: string) =>
  channel === 'email' ? emailAddress(value) : phoneAddress(value);

/**
 * In the caller's transaction: keeps `value` pending for the patient's `channel` (replacing an
 * earlier pending value) and sends it a code; messages go on using the verified contact until the
 * code comes back. Refused (429) within a minute of the channel's last code, or when the address
 * has had its codes for the hour. Audited without the value or the code.
 */
export async function sendContactCode(
  deps: ContactChangesDeps,
  ctx: DbCtx,
  actor: Actor,
  patientId: string,
  channel: ContactChannel,
  value: string,
): Promise<void> {
  const now = deps.clock.now();
  const before = await findContactChange(ctx, patientId, channel);
  if (before && now.getTime() - before.createdAt.getTime() < CONTACT_CODE_EVERY_MS) {
    throw new AppError('contact_code_wait', 'contact_code_wait', { status: 429 });
  }
  const address = addressOfContact(channel, value);
  const counters = await loadCounters(ctx, now, address);
  if (counters.sends >= MAX_SENDS_PER_HOUR) {
    throw new AppError('too_many_codes', 'contact_codes_limited', { status: 429 });
  }
  await updateCodeRow(ctx, address, {
    sends: counters.sends + 1,
    sendsWindowStart: counters.sendsWindowStart,
  });
  // The code is made when the message is sent (patient-security.messages.ts); until then none works.
  await saveContactChange(ctx, {
    patientId,
    channel,
    value,
    codeHash: '',
    wrongTries: 0,
    expiresAt: new Date(now.getTime() + CONTACT_CODE_TTL_MS),
    createdAt: now,
  });
  await deps.notify.dispatch(ctx, {
    type: 'contact-code',
    to: { address, patientId },
    params: { patientId, channel, value },
    key: `contact-code:${newId()}`,
  });
  await deps.audit.record(ctx, actor, {
    action: 'patient.contact-change',
    entity: 'patient',
    entityId: patientId,
    patientId,
    details: { channel, resent: before?.value === value },
  });
}

/**
 * A patient's new email or phone, in the caller's transaction: the verified one again (or none)
 * drops what was pending; the value already pending within its minute is left as it is (a
 * repeated save sends nothing); anything else waits for its code (sendContactCode).
 */
export async function requestContactChange(
  deps: ContactChangesDeps,
  ctx: DbCtx,
  actor: Actor,
  change: { patientId: string; channel: ContactChannel; value: string | null; current: string | null },
): Promise<void> {
  const { patientId, channel, value } = change;
  if (value === null || value === change.current) {
    await deleteContactChange(ctx, patientId, channel);
    return;
  }
  const pending = await findContactChange(ctx, patientId, channel);
  const fresh = pending && deps.clock.now().getTime() - pending.createdAt.getTime() < CONTACT_CODE_EVERY_MS;
  if (fresh && pending.value === value) return;
  await sendContactCode(deps, ctx, actor, patientId, channel, value);
}

/** A new code for the patient's pending change of `channel` (404 when none is pending). */
export async function resendContactCode(
  deps: ContactChangesDeps,
  actor: Actor & { id: string },
  input: unknown,
): Promise<void> {
  const { channel } = validated(resendContactInput, input);
  await deps.db.tx(async (ctx) => {
    const pending = await findContactChange(ctx, actor.id, channel);
    if (!pending) throw notFound('that_contact_change');
    await sendContactCode(deps, ctx, actor, actor.id, channel, pending.value);
  });
}
