import type { DbCtx } from '../../db/client.ts';
import { defineJob, type JobDefinition } from '../../jobs/index.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { type DeliverDeps, deliverMessage } from './deliver.ts';
import type { Delivery } from './deliveries.ts';
import { type Dispatch, dispatchMessage, SEND_MESSAGE } from './dispatch.ts';
import type { MessageResolver } from './messages.ts';
import { sendTestMessage } from './send-test.ts';

export { type Dispatch, SEND_MESSAGE } from './dispatch.ts';
export type { Recipient } from './recipients.ts';

/**
 * The one way messages leave Clinicbox. `dispatch` runs in the caller's transaction: it picks the
 * channels (the patient's consents, a staff member's alert preference, or the one address given),
 * holds SMS for quiet hours, and writes one delivery row and one job per channel (dispatch.ts,
 * recipients.ts). The job renders the template in the recipient's language, sends, and records
 * the outcome (deliver.ts, send-by-channel.ts); an SMS over budget or refused for good goes by
 * email instead (fallback.ts). Message types are the areas' (registered in `deps.messages`).
 */
export function notifier(deps: DeliverDeps & { audit: AuditService }) {
  const send = defineJob(SEND_MESSAGE, {
    backoff: { baseMs: 30_000, capMs: 3_600_000 },
    handle: ({ deliveryId, params, key }, { job, attempt }) =>
      deliverMessage(deps, deliveryId, params, key, {
        attempt,
        maxAttempts: job.maxAttempts,
        tries: job.attempts,
      }),
  });

  return {
    /** Queues the message in `ctx`'s transaction; answers how many deliveries were written. */
    async dispatch(ctx: DbCtx, message: Dispatch): Promise<number> {
      return (await dispatchMessage(deps, ctx, message)).length;
    },

    /** See send-test.ts. */
    sendTest(
      actor: Actor,
      channel: 'email' | 'sms',
      to: string,
      options: { inline?: boolean } = {},
    ): Promise<Delivery | null> {
      return sendTestMessage(deps, actor, channel, to, options);
    },

    /** Adds an area's message types and their resolver (areas.ts; areas never import each other's jobs). */
    register(resolver: MessageResolver): void {
      deps.messages.register(resolver);
    },

    definitions: [send] as JobDefinition<any>[],
  };
}

export type Notifier = ReturnType<typeof notifier>;
