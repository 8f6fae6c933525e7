import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { parseAddress } from '../../lib/contact.ts';
import { findStaffMemberById } from '../accounts/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import {
  findPatientById,
  findPatientLanguage,
  isGuardianOf,
  listActiveGuardians,
  type Patient as PatientRow,
} from '../patients/index.ts';
import { type Channel, channels, type Language, languageOf } from './messages.ts';
import type { Delivery } from './notifications.repo.ts';
import type { PatientPush } from './push.ts';

/**
 * Who a message is for: a patient (by their consents — or, on a channel where the patient has no
 * address, like a dependant, by each active guardian's; `contactId` keeps only that one), a staff
 * member, or one fixed address.
 */
export type Recipient =
  | { patientId: string; contactId?: string }
  | { staffId: string }
  | { address: string; patientId?: string | null; staffId?: string | null };

/** One channel to one person: what a delivery row is written for. */
export interface Target {
  channel: Channel;
  recipient: string;
  patientId: string | null;
  staffId: string | null;
  /** Whose consents and address it goes by (the patient or a guardian); null: an address given. */
  contactId: string | null;
  language: Language;
  quiet: string | null;
  /** Tells one guardian's delivery from another's in the dedupe key ('' for the patient). */
  keySuffix: string;
}

export interface RecipientDeps {
  clinic: ClinicService;
  /** Whose guardian links are in force is asked at its now. */
  clock: Clock;
  push: Pick<PatientPush, 'hasDevices'>;
}

const consentsOf = (p: PatientRow): Record<Channel, boolean> => ({
  email: p.messagesByEmail,
  sms: p.messagesBySms,
  push: p.messagesByPush,
});

/**
 * Where a message goes when it is dispatched, one target per channel and person: the address
 * given; a staff member's email (unless they turned alerts off); or a patient's addresses by
 * their consents, a guardian's on a channel where the patient has none. `essential` ignores
 * consents and alert choices (a sign-in code).
 */
export async function chooseTargets(
  deps: RecipientDeps,
  ctx: DbCtx,
  to: Recipient,
  essential: boolean,
): Promise<Target[]> {
  const settings = await deps.clinic.get(ctx);
  const clinicLanguage = languageOf(settings.locale);
  if ('address' in to) return addressTargets(ctx, to, clinicLanguage);
  if ('staffId' in to) return staffTargets(ctx, to.staffId, essential, clinicLanguage);
  return patientTargets(deps, ctx, to, essential, settings.locale);
}

async function addressTargets(
  ctx: DbCtx,
  to: Extract<Recipient, { address: string }>,
  clinicLanguage: Language,
): Promise<Target[]> {
  const parsed = parseAddress(to.address);
  if (!parsed) return [];
  let language = clinicLanguage;
  if (to.patientId) {
    const lang = await findPatientLanguage(ctx, to.patientId);
    if (lang) language = languageOf(lang);
  }
  return [
    {
      channel: parsed.kind === 'phone' ? 'sms' : 'email',
      recipient: parsed.value,
      patientId: to.patientId ?? null,
      staffId: to.staffId ?? null,
      contactId: null,
      language,
      quiet: null,
      keySuffix: '',
    },
  ];
}

async function staffTargets(
  ctx: DbCtx,
  staffId: string,
  essential: boolean,
  clinicLanguage: Language,
): Promise<Target[]> {
  const row = await findStaffMemberById(ctx, staffId);
  if (row?.status !== 'active' || (!essential && row.bookingAlerts === 'none')) return [];
  return [
    {
      channel: 'email',
      recipient: row.email,
      patientId: null,
      staffId,
      contactId: null,
      language: clinicLanguage,
      quiet: null,
      keySuffix: '',
    },
  ];
}

async function patientTargets(
  deps: RecipientDeps,
  ctx: DbCtx,
  to: Extract<Recipient, { patientId: string }>,
  essential: boolean,
  clinicLocale: string,
): Promise<Target[]> {
  const row = await findPatientById(ctx, to.patientId);
  // A restricted record (GDPR art. 18) gets no message, nor one about it; an erased one has no address.
  if (!row || row.restrictedAt || row.erasedAt) return [];
  /** The patient's (or guardian's) address on a channel, null when they have none. */
  const addressOn = async (p: PatientRow, channel: Channel): Promise<string | null> => {
    if (channel === 'email') return p.email;
    if (channel === 'sms') return p.phone;
    return (await deps.push.hasDevices(ctx, p.id)) ? 'devices' : null;
  };
  let guardians: PatientRow[] | undefined;
  const out: Target[] = [];
  const add = (contact: PatientRow, channel: Channel, recipient: string) => {
    if (to.contactId && to.contactId !== contact.id) return;
    if (!essential && !consentsOf(contact)[channel]) return;
    out.push({
      channel,
      recipient,
      patientId: row.id,
      staffId: null,
      contactId: contact.id,
      language: languageOf(contact.preferredLanguage ?? clinicLocale),
      quiet: channel === 'sms' ? (contact.quietHours ?? null) : null,
      keySuffix: contact.id === row.id ? '' : `:${contact.id}`,
    });
  };
  for (const channel of channels) {
    const own = await addressOn(row, channel);
    if (own) {
      add(row, channel, own);
      continue;
    }
    // No address of their own on this channel (a dependant): each guardian's, by their consents.
    guardians ??= await listActiveGuardians(ctx, row.id, deps.clock.now());
    for (const g of guardians) {
      if (g.restrictedAt) continue;
      const theirs = await addressOn(g, channel);
      if (theirs) add(g, channel, theirs);
    }
  }
  return out;
}

/**
 * Whether the message is about, or goes to, a restricted record (GDPR art. 18): then it is not
 * sent, essential or not — even when queued before the restriction.
 */
export async function aboutRestrictedRecord(db: Db, d: Delivery): Promise<boolean> {
  for (const id of new Set([d.patientId, d.contactId])) {
    if (id && (await findPatientById(db.reader, id))?.restrictedAt) return true;
  }
  return false;
}

/**
 * Where a message that goes by a person's consents goes now: their current address, or why it
 * does not go any more (they turned the channel off or unsubscribed, removed the address, were
 * archived, or stopped being the dependant's guardian since it was queued).
 */
export async function currentAddress(
  db: Db,
  d: Delivery,
  now: Date,
): Promise<{ to: string } | { skip: string }> {
  const contact = await findPatientById(db.reader, d.contactId!);
  if (contact?.status !== 'active') return { skip: 'the recipient is no longer active' };
  if (contact.restrictedAt) return { skip: 'the record is restricted' };
  if (
    d.patientId &&
    d.patientId !== d.contactId &&
    (await findPatientById(db.reader, d.patientId))?.restrictedAt
  )
    return { skip: 'the record is restricted' };
  if (d.patientId && d.contactId !== d.patientId) {
    if (!(await isGuardianOf(db.reader, d.contactId!, d.patientId, now))) {
      return { skip: 'no longer a guardian of the patient' };
    }
  }
  if (!consentsOf(contact)[d.channel]) return { skip: `the recipient turned ${d.channel} messages off` };
  if (d.channel === 'push') return { to: d.recipient };
  const to = d.channel === 'email' ? contact.email : contact.phone;
  return to ? { to } : { skip: `the recipient has no ${d.channel === 'email' ? 'email' : 'phone'} any more` };
}
