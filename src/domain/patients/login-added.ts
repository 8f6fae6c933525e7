import type { DbCtx } from '../../db/client.ts';
import { e164, emailAddress, parseAddress, phoneAddress } from '../../lib/contact.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { Notifier } from '../notifications/index.ts';
import { listPatientLogins } from './access.repo.ts';
import type { Patient } from './patients.repo.ts';

/**
 * An address, partly hidden (`m…y@evil.example`, `+33…01`): enough for the patient to recognise
 * it, too little to read someone's address off a lock screen.
 */
export function maskAddress(address: string): string {
  const parsed = parseAddress(address);
  if (!parsed) return '…';
  if (parsed.kind === 'phone') return `${parsed.value.slice(0, 3)}…${parsed.value.slice(-2)}`;
  const [local = '', domain = ''] = parsed.value.split('@');
  return `${local.slice(0, 1)}…${local.length > 2 ? local.slice(-1) : ''}@${domain}`;
}

/** Where the patient hears from the clinic about their access: their logins and the record's email and phone. */
async function addressesOf(ctx: DbCtx, patient: Patient): Promise<Set<string>> {
  const addresses = new Set((await listPatientLogins(ctx, patient.id)).map((l) => l.address));
  if (patient.email) addresses.add(emailAddress(patient.email));
  const phone = e164.safeParse(patient.phone ?? '');
  if (phone.success) addresses.add(phoneAddress(phone.data));
  return addresses;
}

/**
 * A new login of the patient (in the caller's transaction, once it is inserted): every other
 * address the patient has is told (the `login-added` notice, in the patient's language, naming
 * the new address partly hidden and nothing secret), so an address attached behind their back
 * does not go unnoticed. Audited.
 */
export async function tellLoginAdded(
  deps: { audit: AuditService; notify: Pick<Notifier, 'dispatch'> },
  ctx: DbCtx,
  actor: Actor,
  patient: Patient,
  added: string,
): Promise<void> {
  const told = await addressesOf(ctx, patient);
  told.delete(added);
  const event = newId();
  for (const to of told) {
    await deps.notify.dispatch(ctx, {
      type: 'login-added',
      to: { address: to, patientId: patient.id },
      params: { added },
      key: `login-added:${event}:${to}`,
    });
  }
  await deps.audit.record(ctx, actor, {
    action: 'patient.add-login',
    entity: 'patient',
    entityId: patient.id,
    patientId: patient.id,
    details: { channel: parseAddress(added)?.kind ?? null, told: told.size },
  });
}
