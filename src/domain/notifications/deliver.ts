import type { Db } from '../../db/client.ts';
import { PermanentJobError } from '../../jobs/index.ts';
import { PermanentMailError } from '../../notify/email/index.ts';
import { PermanentPushError } from '../../notify/push/index.ts';
import { PermanentSmsError } from '../../notify/sms/index.ts';
import { findPatientLanguage } from '../patients/index.ts';
import type { DeliveryLog } from './deliveries.ts';
import type { DispatchDeps } from './dispatch.ts';
import { fallBackToEmail } from './fallback.ts';
import { type Language, languageOf, type Resolved } from './messages.ts';
import type { Delivery } from './notifications.repo.ts';
import { aboutRestrictedRecord, currentAddress } from './recipients.ts';
import { type ChannelDeps, sendByChannel } from './send-by-channel.ts';
import type { MessageTemplates } from './templates.service.ts';

export type DeliverDeps = DispatchDeps &
  ChannelDeps & {
    db: Db;
    log: DeliveryLog;
    templates: MessageTemplates;
  };

/** Which run of the delivery's job this is. */
export interface DeliveryRun {
  attempt: number;
  maxAttempts: number;
  /** Tries made so far, this one included (the provider idempotency key of remade messages). */
  tries: number;
}

/*
 * Sends one delivery. Re-reads everything: the recipient's consent and address for a message
 * that goes by them (off since it was queued: skipped; a new address: used), and the message's
 * values (the resolver answers null when the appointment changed or passed: skipped); counts the
 * attempt first; a permanent refusal fails the delivery (and kills the job), a passing one
 * throws for the queue to retry until the last attempt. One that only reached the log driver (no
 * provider configured) is logged as not sent. An SMS that cannot go goes by email.
 */
export async function deliverMessage(
  deps: DeliverDeps,
  deliveryId: string,
  params: Record<string, unknown>,
  key: string,
  run: DeliveryRun,
): Promise<void> {
  const { log } = deps;
  const d = await log.get(deliveryId);
  if (d?.status !== 'queued') return;
  const type = d.messageType;
  const resolver = deps.messages.resolverOf(type);
  if (!resolver) throw new PermanentJobError(`no resolver for message type ${type}`);
  const kind = deps.messages.get(type);
  await log.attempt(d.id);
  let recipient = d.recipient;
  if (await aboutRestrictedRecord(deps.db, d)) return log.skipped(d.id, 'the record is restricted');
  if (!kind.essential && d.contactId) {
    const now = await currentAddress(deps.db, d, deps.clock.now());
    if ('skip' in now) return log.skipped(d.id, now.skip);
    if (now.to !== d.recipient) await log.setRecipient(d.id, now.to);
    recipient = now.to;
  }
  const resolved = await resolver.resolve(type, params, {
    channel: d.channel,
    language: d.language as Language,
    patientId: d.patientId,
    contactId: d.contactId,
    deliveryId: d.id,
    attempt: run.attempt,
  });
  if (!resolved) return log.skipped(d.id, 'no longer applies (changed, cancelled or past)');
  const settings = await deps.clinic.get();
  const language = await settleLanguage(deps, d, resolved);
  const patientId = resolved.patientId ?? d.patientId;
  const vars: Record<string, string | undefined> = {
    clinicName: settings.name,
    clinicPhone: settings.phone,
    address: settings.address,
    ...resolved.vars,
  };
  const template = await deps.templates.get({ type, channel: d.channel, language });
  // The same message keeps its key across retries, so a provider that honours keys drops a
  // duplicate; a code or an invitation is made anew each try, so its key changes with it.
  const idempotencyKey = kind.remadeEachTry ? `delivery-${d.id}-${run.tries}` : `delivery-${d.id}`;
  const fallBack = () =>
    fallBackToEmail(deps, { patientId, contactId: d.contactId, messageType: type }, key, params);
  try {
    const outcome = await sendByChannel(deps, {
      delivery: d,
      recipient,
      template,
      vars,
      language,
      essential: kind.essential,
      contactId: d.contactId ?? patientId,
      resolved,
      idempotencyKey,
    });
    if (outcome === null) {
      await log.failed(d.id, 'over the monthly SMS budget', true);
      await fallBack();
      return;
    }
    if (outcome.notSent !== undefined) {
      // No provider of the channel is configured: an SMS goes by email instead, like one that cannot go.
      await log.notSent(d.id, outcome.notSent);
      if (d.channel === 'sms' && !kind.essential) await fallBack();
      return;
    }
    await log.sent(d.id, outcome.providerId);
  } catch (e) {
    const permanent =
      e instanceof PermanentMailError || e instanceof PermanentSmsError || e instanceof PermanentPushError;
    const final = permanent || run.attempt >= run.maxAttempts;
    await log.failed(d.id, (e as Error).message, final);
    if (final && d.channel === 'sms' && !kind.essential && (await fallBack())) return;
    if (permanent) throw new PermanentJobError((e as Error).message);
    throw e;
  }
}

/**
 * The language the delivery goes in. A message that turned out to concern a patient (a code asked
 * for by a known patient's address) is recorded as theirs, in their language.
 */
async function settleLanguage(deps: DeliverDeps, d: Delivery, resolved: Resolved): Promise<Language> {
  let language = d.language as Language;
  if (resolved.patientId === undefined || resolved.patientId === d.patientId) return language;
  if (resolved.patientId) {
    const lang = await findPatientLanguage(deps.db.reader, resolved.patientId);
    if (lang) language = languageOf(lang);
  }
  await deps.db.tx((ctx) => deps.log.setPatient(ctx, d.id, resolved.patientId ?? null, language));
  return language;
}
