import { z } from 'zod';
import { e164, emailAddress, phoneAddress } from '../../lib/contact.ts';
import { fieldIssue, issuesOf, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { type DeliverDeps, deliverMessage } from './deliver.ts';
import type { Delivery } from './deliveries.ts';
import { dispatchMessage } from './dispatch.ts';
import { testMessage } from './notifications.messages.ts';

/**
 * "Send a test": one message through the real transport, logged like any other — by its job
 * (the settings page), or `inline`, sent here and now with no retry (`clinicbox doctor`,
 * which reports the outcome). Answers the delivery as it stands afterwards.
 */
export async function sendTestMessage(
  deps: DeliverDeps & { audit: AuditService },
  actor: Actor,
  channel: 'email' | 'sms',
  to: string,
  options: { inline?: boolean } = {},
): Promise<Delivery | null> {
  const address = testAddress(channel, to);
  const key = `test:${newId()}`;
  const [id] = await deps.db.tx(async (ctx) => {
    const ids = await dispatchMessage(
      deps,
      ctx,
      { type: testMessage.type, to: { address, staffId: actor.type === 'staff' ? actor.id : null }, key },
      options.inline,
    );
    await deps.audit.record(ctx, actor, {
      action: 'notifications.send-test',
      entity: 'delivery',
      entityId: ids[0] ?? null,
      details: { channel },
    });
    return ids;
  });
  if (!id) return null;
  if (options.inline) {
    await deliverMessage(deps, id, {}, key, { attempt: 1, maxAttempts: 1, tries: 1 }).catch(() => undefined);
  }
  return deps.log.get(id);
}

/** The address typed on the settings page, as a stored address ('email:…', 'phone:…'). */
function testAddress(channel: 'email' | 'sms', to: string): string {
  if (channel === 'email') {
    const email = z.email().safeParse(to.trim());
    if (!email.success) throw validationFailed([fieldIssue('email', 'email_invalid')]);
    return emailAddress(email.data);
  }
  const phone = e164.safeParse(to);
  if (!phone.success) throw validationFailed([{ ...issuesOf(phone.error)[0]!, path: 'phone' }]);
  return phoneAddress(phone.data);
}
