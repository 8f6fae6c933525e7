import { notFound, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { MessagingDeps } from './messaging.deps.ts';

import {
  deleteQuickReply,
  insertQuickReply,
  listQuickReplies,
  type QuickReplyRow,
  updateQuickReply,
} from './messaging.repo.ts';
import { quickReplyInput } from './messaging.schema.ts';

/**
 * Quick replies: snippets the clinic saves (settings.manage) and staff insert into a reply
 * (patients.read lists them). They are the clinic's wording, not health data; changes are audited.
 */
export function quickReplies(deps: MessagingDeps) {
  return {
    async list(actor: Actor): Promise<QuickReplyRow[]> {
      await staffWhoCan(deps.db.reader, actor, 'patients.read');
      return listQuickReplies(deps.db.reader);
    },
    async create(actor: Actor, input: unknown): Promise<QuickReplyRow> {
      await staffWhoCan(deps.db.reader, actor, 'settings.manage');
      const data = validated(quickReplyInput, input);
      const now = deps.clock.now();
      return deps.db.tx(async (ctx) => {
        const row = await insertQuickReply(ctx, { id: newId(), ...data, createdAt: now, updatedAt: now });
        await deps.audit.record(ctx, actor, {
          action: 'quick-reply.create',
          entity: 'quick_reply',
          entityId: row.id,
        });
        return row;
      });
    },
    async update(actor: Actor, id: string, input: unknown): Promise<QuickReplyRow> {
      await staffWhoCan(deps.db.reader, actor, 'settings.manage');
      const data = validated(quickReplyInput, input);
      const row = await deps.db.tx(async (ctx) => {
        const changed = await updateQuickReply(ctx, id, { ...data, updatedAt: deps.clock.now() });
        if (changed)
          await deps.audit.record(ctx, actor, {
            action: 'quick-reply.update',
            entity: 'quick_reply',
            entityId: id,
          });
        return changed;
      });
      if (!row) throw notFound('That quick reply');
      return row;
    },
    async remove(actor: Actor, id: string): Promise<void> {
      await staffWhoCan(deps.db.reader, actor, 'settings.manage');
      const removed = await deps.db.tx(async (ctx) => {
        const n = await deleteQuickReply(ctx, id);
        if (n > 0)
          await deps.audit.record(ctx, actor, {
            action: 'quick-reply.delete',
            entity: 'quick_reply',
            entityId: id,
          });
        return n;
      });
      if (removed === 0) throw notFound('That quick reply');
    },
  };
}
