import type { DbCtx } from '../../db/client.ts';
import { validated } from '../../lib/errors.ts';
import { actingStaff, staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { MessagingDeps } from './messaging.deps.ts';

import { findSettings, findStaffEmailAlert, saveSettings, saveStaffEmailAlert } from './messaging.repo.ts';
import {
  defaultMessagingSettings,
  type MessagingSettings,
  messagingSettingsInput,
  staffAlertInput,
} from './messaging.schema.ts';

/** The clinic's messaging settings (the defaults until an admin saves them). */
export async function readSettings(deps: Pick<MessagingDeps, 'db'>, ctx?: DbCtx): Promise<MessagingSettings> {
  const row = await findSettings(ctx ?? deps.db.reader);
  return row
    ? {
        patientsMayStart: row.patientsMayStart,
        replyWithinDays: row.replyWithinDays,
        reopenOnReply: row.reopenOnReply,
      }
    : { ...defaultMessagingSettings };
}

/** Saves them (settings.manage); audited with the values (no health data in them). */
export async function changeSettings(
  deps: MessagingDeps,
  actor: Actor,
  input: unknown,
): Promise<MessagingSettings> {
  await staffWhoCan(deps.db.reader, actor, 'settings.manage');
  const data = validated(messagingSettingsInput, input);
  await deps.db.tx(async (ctx) => {
    await saveSettings(ctx, { ...data, updatedAt: deps.clock.now() });
    await deps.audit.record(ctx, actor, {
      action: 'messaging.settings',
      entity: 'messaging_settings',
      entityId: 'clinic',
      details: { ...data },
    });
  });
  return data;
}

/** The signed-in member's own choice: an email when a patient writes to a thread they see. */
export async function readStaffAlert(deps: MessagingDeps, actor: Actor): Promise<{ email: boolean }> {
  const who = await actingStaff(deps.db.reader, actor);
  return { email: await findStaffEmailAlert(deps.db.reader, who.actor.id) };
}

/** Sets it ({email}); audited. */
export async function changeStaffAlert(
  deps: MessagingDeps,
  actor: Actor,
  input: unknown,
): Promise<{ email: boolean }> {
  const who = await actingStaff(deps.db.reader, actor);
  const { email } = validated(staffAlertInput, input);
  await deps.db.tx(async (ctx) => {
    await saveStaffEmailAlert(ctx, who.actor.id, email, deps.clock.now());
    await deps.audit.record(ctx, actor, {
      action: 'staff.set-message-alerts',
      entity: 'staff_account',
      entityId: who.actor.id,
      details: { email },
    });
  });
  return { email };
}
