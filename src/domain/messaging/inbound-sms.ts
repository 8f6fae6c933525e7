import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { DbCtx } from '../../db/client.ts';
import { AppError, notFound, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { staffWhoCan } from '../accounts/index.ts';
import { type Actor, systemActor } from '../audit/index.ts';
import { findPatientStatus } from '../patients/index.ts';
import type { MessagingDeps } from './messaging.deps.ts';

import {
  findLatestOpenThread,
  findUnmatchedSms,
  insertUnmatchedSms,
  listOpenUnmatchedSms,
  type MessageRow,
  markInboundSeen,
  resolveUnmatchedSms,
  type ThreadRow,
  type UnmatchedSmsRow,
} from './messaging.repo.ts';
import { assignSmsInput, MAX_MESSAGE_CHARS } from './messaging.schema.ts';
import { openThread } from './start-thread.ts';
import { writeMessage } from './write-message.ts';

/** The subject of a thread an SMS starts (no open thread to land in). */
export const SMS_THREAD_SUBJECT = 'SMS reply';

/** An SMS received by a provider's webhook (already authenticated by the HTTP layer). */
export interface InboundSms {
  provider: 'twilio' | 'http';
  /** The provider's id of the SMS (Twilio's MessageSid): a retried webhook stores nothing twice. */
  providerId?: string | undefined;
  from: string;
  text: string;
}

export type InboundOutcome = 'thread' | 'unmatched' | 'duplicate' | 'rate_limited' | 'ignored';

/**
 * An SMS from a patient's phone (a reply to a reminder or to any message): from exactly one
 * active patient's number, it lands in their latest open thread, or in a new thread "SMS reply";
 * from a number no patient has (or several have) it waits in the unmatched list for staff. Past
 * the patient's hourly limit it is dropped (the outcome says so; nothing is stored). The text is
 * cut to MAX_MESSAGE_CHARS (an SMS cannot be refused back to its sender) and never logged.
 */
export async function receiveSms(deps: MessagingDeps, sms: InboundSms): Promise<InboundOutcome> {
  const from = parsePhoneNumberFromString(sms.from.trim())?.number ?? sms.from.trim();
  const text = sms.text.trim().slice(0, MAX_MESSAGE_CHARS);
  if (!text || !from) return 'ignored';
  const matches = (await deps.patients.search(systemActor, from, 20)).filter((p) => p.phone === from);
  const now = deps.clock.now();
  try {
    return await deps.db.tx(async (ctx) => {
      if (sms.providerId && !(await markInboundSeen(ctx, sms.provider, sms.providerId, now)))
        return 'duplicate';
      if (matches.length !== 1) {
        const row = await insertUnmatchedSms(ctx, {
          id: newId(),
          fromPhone: from,
          text,
          provider: sms.provider,
          receivedAt: now,
          messageId: null,
          resolvedAt: null,
          resolvedBy: null,
        });
        await deps.audit.record(ctx, systemActor, {
          action: 'sms.unmatched',
          entity: 'unmatched_sms',
          entityId: row.id,
          details: { provider: sms.provider, candidates: matches.length },
        });
        return 'unmatched';
      }
      const patientId = matches[0]!.id;
      const actor: Actor = { type: 'patient', id: patientId };
      const thread = await threadForSms(deps, ctx, actor, patientId, now);
      await writeMessage(deps, ctx, thread, { kind: 'sms', actor }, text, []);
      return 'thread';
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'messages_rate_limited') return 'rate_limited';
    throw error;
  }
}

/**
 * The thread an SMS of the patient lands in: their latest open one, else a new thread "SMS reply"
 * for the front desk (audited as `thread.create`).
 */
async function threadForSms(
  deps: Pick<MessagingDeps, 'audit'>,
  ctx: DbCtx,
  actor: Actor,
  patientId: string,
  now: Date,
): Promise<ThreadRow> {
  const thread = { patientId, subject: SMS_THREAD_SUBJECT, assignedTo: null };
  return (
    (await findLatestOpenThread(ctx, patientId)) ??
    openThread(deps, ctx, actor, { kind: 'sms', actor }, thread, now)
  );
}

/** Inbound SMS from unknown numbers not yet assigned, newest first (patients.read); audited. */
export async function listUnmatched(
  deps: MessagingDeps,
  actor: Actor,
  limit = 100,
): Promise<UnmatchedSmsRow[]> {
  await staffWhoCan(deps.db.reader, actor, 'patients.read');
  const rows = await listOpenUnmatchedSms(deps.db.reader, limit);
  return deps.audit.recordListRead(actor, { action: 'sms.list-unmatched', entity: 'unmatched_sms' }, rows);
}

/**
 * Staff assign an unmatched SMS to a patient (`{patientId}`; patients.write): it becomes a
 * message of the patient's latest open thread (or a new "SMS reply" thread), written as an SMS
 * from the patient, without the hourly limit (staff decided). 404 when it was assigned already.
 */
export async function assignUnmatched(
  deps: MessagingDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ thread: ThreadRow; message: MessageRow }> {
  const member = await staffWhoCan(deps.db.reader, actor, 'patients.write');
  const { patientId } = validated(assignSmsInput, input);
  if (!(await findPatientStatus(deps.db.reader, patientId))) throw notFound('that_patient');
  const sms = await findUnmatchedSms(deps.db.reader, id);
  if (!sms || sms.resolvedAt) throw notFound('That SMS');
  const now = deps.clock.now();
  return deps.db.tx(async (ctx) => {
    const thread = await threadForSms(deps, ctx, actor, patientId, now);
    const written = await writeMessage(deps, ctx, thread, { kind: 'sms', actor }, sms.text, [], {
      limit: false,
    });
    const resolved = await resolveUnmatchedSms(ctx, id, {
      messageId: written.message.id,
      resolvedAt: now,
      resolvedBy: member.actor.id,
    });
    if (!resolved) throw notFound('That SMS');
    await deps.audit.record(ctx, actor, {
      action: 'sms.assign',
      entity: 'unmatched_sms',
      entityId: id,
      patientId,
      details: { threadId: thread.id, messageId: written.message.id },
    });
    return written;
  });
}
