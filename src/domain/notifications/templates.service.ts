import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound, validated, validationFailed } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { MessageRegistry } from './message-registry.ts';
import { channels, languages, type MessageDefinition, type MessageTemplate } from './messages.ts';
import { deleteTemplate, findTemplate, listTemplateKeys, upsertTemplate } from './notifications.repo.ts';
import { renderHtml, renderText, templateIssues } from './render.ts';

/** A template's address: a registered message type, one of its channels, a language. */
export const templateKey = z.object({
  type: z.string().min(1).max(100),
  channel: z.enum(channels),
  language: z.enum(languages),
});
export type TemplateKey = z.infer<typeof templateKey>;

const templateInput = z.object({
  subject: z.string().max(400).optional(),
  body: z.string().max(8000),
});

/**
 * The wording of messages: the clinic's own per type, channel and language, else the shipped
 * default (the registered definition's); a language without one falls back to English. Saving
 * validates the variables.
 */
export function messageTemplates(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  messages: MessageRegistry;
}) {
  const { db, clock, audit, messages } = deps;
  /** The key's message type (no area registered it: there is no such template). */
  const kindOf = (key: TemplateKey): MessageDefinition => {
    const kind = messages.find(key.type);
    if (!kind) throw notFound('That template');
    return kind;
  };

  return {
    /** The template a message is sent with, and whether the clinic changed it. */
    async get(key: TemplateKey): Promise<MessageTemplate & { custom: boolean }> {
      const kind = kindOf(key);
      if (!kind.channels.includes(key.channel)) throw notFound('That template');
      const own = await findTemplate(db.reader, key);
      if (own) return { ...own, custom: true };
      const def = kind.templates[key.channel]?.[key.language];
      if (def) return { ...def, custom: false };
      if (key.language !== 'en') return this.get({ ...key, language: 'en' });
      throw notFound('That template');
    },

    /** Every type × channel × language, for the settings list. */
    async list() {
      const rows = await listTemplateKeys(db.reader);
      const custom = new Set(rows.map((r) => `${r.messageType}/${r.channel}/${r.language}`));
      return messages.list().flatMap(({ type, label, channels }) =>
        channels.flatMap((channel) =>
          languages.map((language) => ({
            type,
            channel,
            language,
            label,
            custom: custom.has(`${type}/${channel}/${language}`),
          })),
        ),
      );
    },

    /** Validates (unknown variables, health details outside email bodies) and saves. */
    async save(actor: Actor, key: TemplateKey, input: unknown): Promise<void> {
      const tpl = validated(templateInput, input);
      const template = {
        subject: key.channel === 'sms' ? undefined : tpl.subject?.trim(),
        body: tpl.body.trim(),
      };
      const issues = templateIssues(kindOf(key), key.channel, template);
      if (issues.length) throw validationFailed(issues, { text: issues.map((i) => i.message).join(' ') });
      await db.tx(async (ctx) => {
        await upsertTemplate(ctx, key, {
          subject: template.subject ?? null,
          body: template.body,
          updatedBy: actor.id,
          updatedAt: clock.now(),
        });
        await audit.record(ctx, actor, {
          action: 'notifications.save-template',
          entity: 'message_template',
          entityId: `${key.type}/${key.channel}/${key.language}`,
        });
      });
    },

    /** Back to the shipped wording. */
    async reset(actor: Actor, key: TemplateKey): Promise<void> {
      await db.tx(async (ctx) => {
        await deleteTemplate(ctx, key);
        await audit.record(ctx, actor, {
          action: 'notifications.reset-template',
          entity: 'message_template',
          entityId: `${key.type}/${key.channel}/${key.language}`,
        });
      });
    },

    /** The message as sent, with the clinic's details and a made-up patient; and what is wrong with it. */
    preview(
      key: TemplateKey,
      template: MessageTemplate,
      clinic?: { name: string; phone: string; address: string },
    ) {
      const issues = templateIssues(kindOf(key), key.channel, template);
      const examples = messages.examplesFor(key.type);
      const vars = clinic
        ? { ...examples, clinicName: clinic.name, clinicPhone: clinic.phone, address: clinic.address }
        : examples;
      return {
        issues,
        subject: template.subject ? renderText(template.subject, vars) : undefined,
        text: renderText(template.body, vars),
        html: key.channel === 'email' ? renderHtml(template.body, vars) : undefined,
      };
    },
  };
}

export type MessageTemplates = ReturnType<typeof messageTemplates>;
