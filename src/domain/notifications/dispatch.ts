import { z } from 'zod';
import type { DbCtx } from '../../db/client.ts';
import { type JobQueue, jobType } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { quietHoursOf } from '../patients/index.ts';
import type { MessageRegistry } from './message-registry.ts';
import type { Channel, MessageType } from './messages.ts';
import { insertDelivery, updateDelivery } from './notifications.repo.ts';
import { quietUntil } from './quiet-hours.ts';
import { chooseTargets, type Recipient, type RecipientDeps, type Target } from './recipients.ts';

/** Sends one delivery (written by `dispatchMessage`). */
export const SEND_MESSAGE = jobType(
  'notifications.send-message',
  z.object({ deliveryId: z.string(), params: z.record(z.string(), z.unknown()), key: z.string() }),
);

/** A message to send: its type, to whom, and the ids its resolver re-reads at send time. */
export interface Dispatch {
  type: MessageType;
  to: Recipient;
  /** Ids and times only (re-read at send time). */
  params?: Record<string, unknown>;
  /** One delivery per key and channel: a re-run of the caller sends nothing twice. */
  key: string;
  /** Only these channels (default: every one the recipient can receive). */
  channels?: Channel[];
  runAt?: Date;
  /**
   * When the message stops being useful (an appointment's start). An SMS whose quiet hours last
   * until then is not held past it: it is skipped and the message goes by email instead.
   */
  deadline?: Date;
}

export interface DispatchDeps extends RecipientDeps {
  clock: Clock;
  queue: JobQueue;
  messages: MessageRegistry;
}

const attemptsOf: Record<Channel, number> = { email: 8, sms: 6, push: 5 };

/**
 * Writes, in the caller's transaction, one delivery row and (unless `inline`) one job per target
 * of the message on the type's channels. Answers the new deliveries' ids (a key used already
 * writes nothing).
 *
 * Quiet hours: an SMS due inside them waits for their end — unless they last until the message's
 * deadline (a reminder of an 08:00 appointment held until 08:00 would come too late). Then the
 * SMS is logged as skipped and the message goes by email to the same person instead (if they
 * take email; nothing twice when the email goes anyway). The simpler rule of the two possible:
 * sending before the quiet hours began would mean sending in the past.
 */
export async function dispatchMessage(
  deps: DispatchDeps,
  ctx: DbCtx,
  message: Dispatch,
  inline = false,
): Promise<string[]> {
  const kind = deps.messages.get(message.type);
  const settings = await deps.clinic.get(ctx);
  const all = (await chooseTargets(deps, ctx, message.to, kind.essential)).filter((t) =>
    kind.channels.includes(t.channel),
  );
  const pending = all.filter((t) => !message.channels || message.channels.includes(t.channel));
  const ids: string[] = [];
  for (let i = 0; i < pending.length; i++) {
    const target = pending[i]!;
    let runAt = message.runAt ?? deps.clock.now();
    if (target.channel === 'sms' && !kind.essential) {
      const until = quietUntil(runAt, settings.timeZone, quietHoursOf(target.quiet, settings.smsQuietHours));
      if (until && message.deadline && until.getTime() >= message.deadline.getTime()) {
        const email = all.find((t) => t.channel === 'email' && t.contactId === target.contactId);
        await writeDelivery(deps, ctx, message, target, {
          runAt,
          skipped: `quiet hours last until the appointment: ${email ? 'sent by email instead' : 'no email to send instead'}`,
        });
        if (email && !pending.includes(email)) pending.push(email);
        continue;
      }
      if (until) runAt = until;
    }
    const id = await writeDelivery(deps, ctx, message, target, { runAt, inline });
    if (id) ids.push(id);
  }
  return ids;
}

/** Writes one delivery row (and, unless `inline` or skipped, its job); null when the key was used already. */
async function writeDelivery(
  deps: DispatchDeps,
  ctx: DbCtx,
  message: Dispatch,
  target: Target,
  options: { runAt: Date; skipped?: string; inline?: boolean },
): Promise<string | null> {
  const kind = deps.messages.get(message.type);
  const now = deps.clock.now();
  const id = await insertDelivery(ctx, {
    id: newId(),
    patientId: target.patientId,
    staffId: target.staffId,
    contactId: target.contactId,
    recipient: target.recipient,
    channel: target.channel,
    messageType: message.type,
    language: target.language,
    status: options.skipped ? 'skipped' : 'queued',
    lastError: options.skipped ?? null,
    dedupeKey: `${message.key}:${target.channel}${target.keySuffix}`,
    createdAt: now,
    updatedAt: now,
  });
  if (!id) return null;
  if (options.skipped || options.inline) return id;
  const job = await deps.queue.enqueue(
    ctx,
    SEND_MESSAGE,
    { deliveryId: id, params: message.params ?? {}, key: message.key },
    {
      runAt: options.runAt,
      maxAttempts: attemptsOf[target.channel],
      priority: kind.essential ? -1 : 0,
    },
  );
  await updateDelivery(ctx, id, { jobId: job.id });
  return id;
}
