import type { Db } from '../../db/client.ts';
import { type DispatchDeps, dispatchMessage } from './dispatch.ts';
import type { Recipient } from './recipients.ts';

/**
 * An SMS that cannot go (over the monthly budget, refused for good, out of tries) goes by email
 * to the same person instead, under the same key: nothing is sent twice when the email went
 * anyway. Answers whether an email was queued. A message to a fixed address has no one to fall
 * back to.
 */
export async function fallBackToEmail(
  deps: DispatchDeps & { db: Db },
  delivery: { patientId: string | null; contactId: string | null; messageType: string },
  key: string,
  params: Record<string, unknown>,
): Promise<boolean> {
  if (!delivery.patientId) return false;
  const to: Recipient = delivery.contactId
    ? { patientId: delivery.patientId, contactId: delivery.contactId }
    : { patientId: delivery.patientId };
  return deps.db.tx(
    async (ctx) =>
      (await dispatchMessage(deps, ctx, { type: delivery.messageType, to, params, key, channels: ['email'] }))
        .length > 0,
  );
}
