import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound, validated, validationFailed } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { defaultTemplates, type MessageTemplate } from './default-templates.ts';
import {
  type Channel,
  channels,
  type Language,
  languages,
  type MessageType,
  messageKinds,
  messageTypes,
} from './messages.ts';
import { renderHtml, renderText, templateIssues } from './render.ts';

export const templateKey = z.object({
  type: z.enum(messageTypes),
  channel: z.enum(channels),
  language: z.enum(languages),
});
export type TemplateKey = z.infer<typeof templateKey>;

const templateInput = z.object({
  subject: z.string().max(400).optional(),
  body: z.string().max(8000),
});

/** Sample values for the preview: a made-up patient, never a real one. */
const sampleVars: Record<string, string> = {
  patientName: 'Alex',
  clinicName: 'Riverside Physio',
  when: 'Tuesday 3 March 2026 at 10:30',
  service: 'Physiotherapy',
  practitioner: 'Dr Martin',
  address: '1 River Street',
  clinicPhone: '+44 20 7946 0000',
  link: 'https://clinic.example/app/',
  code: '123456',
  minutes: '10',
  event: 'booking',
};

/**
 * The wording of messages: the clinic's own per type, channel and language, else the shipped
 * default; a language without one falls back to English. Saving validates the variables.
 */
export function messageTemplates(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  const t = db.reader.t.messageTemplates;

  async function override(key: TemplateKey): Promise<MessageTemplate | null> {
    const [row] = await db.reader.db
      .select()
      .from(t)
      .where(and(eq(t.messageType, key.type), eq(t.channel, key.channel), eq(t.language, key.language)));
    return row ? { subject: row.subject ?? undefined, body: row.body } : null;
  }
  const shipped = (key: TemplateKey) => defaultTemplates[key.type][key.channel]?.[key.language] ?? null;

  return {
    /** The template a message is sent with, and whether the clinic changed it. */
    async get(key: TemplateKey): Promise<MessageTemplate & { custom: boolean }> {
      if (!messageKinds[key.type].channels.includes(key.channel)) throw notFound('That template');
      const own = await override(key);
      if (own) return { ...own, custom: true };
      const def = shipped(key);
      if (def) return { ...def, custom: false };
      if (key.language !== 'en') return this.get({ ...key, language: 'en' });
      throw notFound('That template');
    },

    /** Every type × channel × language, for the settings list. */
    async list() {
      const rows = await db.reader.db.select().from(t);
      const custom = new Set(rows.map((r) => `${r.messageType}/${r.channel}/${r.language}`));
      return messageTypes.flatMap((type) =>
        messageKinds[type].channels.flatMap((channel) =>
          languages.map((language) => ({
            type,
            channel,
            language,
            label: messageKinds[type].label,
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
      const issues = templateIssues(key.type, key.channel, template);
      if (issues.length) throw validationFailed(issues, issues.map((i) => i.message).join(' '));
      await db.tx(async (ctx) => {
        const now = clock.now();
        const values = {
          subject: template.subject ?? null,
          body: template.body,
          updatedBy: actor.id,
          updatedAt: now,
        };
        await ctx.db
          .insert(ctx.t.messageTemplates)
          .values({ messageType: key.type, channel: key.channel, language: key.language, ...values })
          .onConflictDoUpdate({
            target: [
              ctx.t.messageTemplates.messageType,
              ctx.t.messageTemplates.channel,
              ctx.t.messageTemplates.language,
            ],
            set: values,
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
        const m = ctx.t.messageTemplates;
        await ctx.db
          .delete(m)
          .where(and(eq(m.messageType, key.type), eq(m.channel, key.channel), eq(m.language, key.language)));
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
      const issues = templateIssues(key.type, key.channel, template);
      const vars = clinic
        ? { ...sampleVars, clinicName: clinic.name, clinicPhone: clinic.phone, address: clinic.address }
        : sampleVars;
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
export type { Channel, Language, MessageType };
