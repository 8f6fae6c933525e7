import { eq } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import type { Db, DbCtx } from '../../db/client.ts';
import { defineJob, type JobDefinition, type JobQueue, PermanentJobError } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { type MailMessage, type MailTransport, PermanentMailError } from '../../notify/email/index.ts';
import { PermanentPushError } from '../../notify/push/index.ts';
import { PermanentSmsError, type SmsTransport } from '../../notify/sms/index.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { DeliveryLog } from './deliveries.ts';
import { type Channel, type Language, languageOf, type MessageType, messageKinds } from './messages.ts';
import type { PatientPush } from './push.ts';
import { quietHoursOf, quietUntil } from './quiet-hours.ts';
import { renderHtml, renderText } from './render.ts';
import type { SmsBudget } from './sms-budget.ts';
import type { MessageTemplates } from './templates.service.ts';
import type { UnsubscribeLinks } from './unsubscribe.ts';

export const SEND_MESSAGE = 'notifications.send-message';

/** Who a message is for: a patient (by their consents), a staff member, or one fixed address. */
export type Recipient =
  | { patientId: string }
  | { staffId: string }
  | { address: string; patientId?: string | null; staffId?: string | null };

/** What a message type's resolver gives at send time: the values, re-read; null = nothing to send now. */
export interface Resolved {
  vars: Record<string, string | undefined>;
  attachments?: MailMessage['attachments'];
  /** Where a push notification opens (the app, never a health detail). */
  url?: string;
  /** The patient a message turned out to concern (a sign-in code for a known address). */
  patientId?: string | null;
}

export interface MessageResolver {
  types: readonly MessageType[];
  resolve(
    type: MessageType,
    params: Record<string, unknown>,
    target: {
      channel: Channel;
      language: Language;
      patientId: string | null;
      deliveryId: string;
      attempt: number;
    },
  ): Promise<Resolved | null>;
}

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
}

const attemptsOf: Record<Channel, number> = { email: 8, sms: 6, push: 5 };

/**
 * The one way messages leave Clinicbox. `dispatch` runs in the caller's transaction: it picks the
 * channels (the patient's consents, a staff member's alert preference, or the one address given),
 * holds SMS for quiet hours, and writes one delivery row and one job per channel. The job renders
 * the template in the recipient's language, sends, and records the outcome; an SMS over budget or
 * refused for good goes by email instead.
 */
export function notifier(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  queue: JobQueue;
  clinic: ClinicService;
  templates: MessageTemplates;
  log: DeliveryLog;
  mail: MailTransport;
  sms: SmsTransport;
  push: PatientPush;
  smsBudget: SmsBudget;
  unsubscribe: UnsubscribeLinks;
  baseUrl: string;
}) {
  const { db, clock, queue, clinic, log } = deps;
  const resolvers = new Map<MessageType, MessageResolver>();
  const appUrl = `${deps.baseUrl.replace(/\/$/, '')}/app/`;

  interface Target {
    channel: Channel;
    recipient: string;
    patientId: string | null;
    staffId: string | null;
    language: Language;
    quiet: string | null;
  }

  async function targetsOf(ctx: DbCtx, to: Recipient, essential: boolean): Promise<Target[]> {
    const settings = await clinic.get(ctx);
    const clinicLanguage = languageOf(settings.locale);
    if ('address' in to) {
      const [kind, value] = [
        to.address.slice(0, to.address.indexOf(':')),
        to.address.slice(to.address.indexOf(':') + 1),
      ];
      let language = clinicLanguage;
      if (to.patientId) {
        const [p] = await ctx.db
          .select({ lang: ctx.t.patients.preferredLanguage })
          .from(ctx.t.patients)
          .where(eq(ctx.t.patients.id, to.patientId));
        if (p?.lang) language = languageOf(p.lang);
      }
      return [
        {
          channel: kind === 'phone' ? 'sms' : 'email',
          recipient: value,
          patientId: to.patientId ?? null,
          staffId: to.staffId ?? null,
          language,
          quiet: null,
        },
      ];
    }
    if ('staffId' in to) {
      const s = ctx.t.staffAccounts;
      const [row] = await ctx.db
        .select({ email: s.email, alerts: s.bookingAlerts, status: s.status })
        .from(s)
        .where(eq(s.id, to.staffId));
      if (!row || row.status !== 'active' || (!essential && row.alerts === 'none')) return [];
      return [
        {
          channel: 'email',
          recipient: row.email,
          patientId: null,
          staffId: to.staffId,
          language: clinicLanguage,
          quiet: null,
        },
      ];
    }
    const p = ctx.t.patients;
    const [row] = await ctx.db.select().from(p).where(eq(p.id, to.patientId));
    if (!row) return [];
    const base = {
      patientId: row.id,
      staffId: null,
      language: languageOf(row.preferredLanguage ?? settings.locale),
    };
    const out: Target[] = [];
    if (row.email && (essential || row.messagesByEmail))
      out.push({ ...base, channel: 'email', recipient: row.email, quiet: null });
    if (row.phone && (essential || row.messagesBySms)) {
      out.push({ ...base, channel: 'sms', recipient: row.phone, quiet: row.quietHours ?? null });
    }
    if ((essential || row.messagesByPush) && (await deps.push.hasDevices(ctx, row.id))) {
      out.push({ ...base, channel: 'push', recipient: 'devices', quiet: null });
    }
    return out;
  }

  async function dispatch(ctx: DbCtx, message: Dispatch): Promise<number> {
    const kind = messageKinds[message.type];
    const settings = await clinic.get(ctx);
    let n = 0;
    for (const target of await targetsOf(ctx, message.to, kind.essential)) {
      if (!kind.channels.includes(target.channel)) continue;
      if (message.channels && !message.channels.includes(target.channel)) continue;
      let runAt = message.runAt ?? clock.now();
      if (target.channel === 'sms' && !kind.essential) {
        const until = quietUntil(
          runAt,
          settings.timeZone,
          quietHoursOf(target.quiet, settings.smsQuietHours),
        );
        if (until) runAt = until;
      }
      const id = newId();
      const now = clock.now();
      const inserted = await ctx.db
        .insert(ctx.t.deliveries)
        .values({
          id,
          patientId: target.patientId,
          staffId: target.staffId,
          recipient: target.recipient,
          channel: target.channel,
          messageType: message.type,
          language: target.language,
          status: 'queued',
          dedupeKey: `${message.key}:${target.channel}`,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: ctx.t.deliveries.id });
      if (!inserted[0]) continue;
      const job = await queue.enqueue(
        ctx,
        SEND_MESSAGE,
        { deliveryId: id, params: message.params ?? {}, key: message.key },
        { runAt, maxAttempts: attemptsOf[target.channel], priority: kind.essential ? -1 : 0 },
      );
      await ctx.db.update(ctx.t.deliveries).set({ jobId: job.id }).where(eq(ctx.t.deliveries.id, id));
      n++;
    }
    return n;
  }

  /** An SMS that cannot go (over budget, refused for good) goes by email, unless email was sent too. */
  async function fallBackToEmail(
    delivery: { patientId: string | null; messageType: string },
    key: string,
    params: Record<string, unknown>,
  ) {
    if (!delivery.patientId) return false;
    const patientId = delivery.patientId;
    return db.tx(
      async (ctx) =>
        (await dispatch(ctx, {
          type: delivery.messageType as MessageType,
          to: { patientId },
          params,
          key,
          channels: ['email'],
        })) > 0,
    );
  }

  /*
   * Sends one delivery. Re-reads everything (the resolver answers null when the appointment
   * changed or passed: skipped); counts the attempt first; a permanent refusal fails the delivery
   * and kills the job, a passing one is retried by the queue until the last attempt.
   */
  const send = defineJob({
    name: SEND_MESSAGE,
    payload: z.object({ deliveryId: z.string(), params: z.record(z.string(), z.unknown()), key: z.string() }),
    backoff: { baseMs: 30_000, capMs: 3_600_000 },
    async handle({ deliveryId, params, key }, { job, attempt }) {
      const d = await log.get(deliveryId);
      if (!d || d.status !== 'queued') return;
      const type = d.messageType as MessageType;
      const kind = messageKinds[type];
      const resolver = resolvers.get(type);
      if (!resolver) throw new PermanentJobError(`no resolver for message type ${type}`);
      await log.attempt(d.id);
      const resolved = await resolver.resolve(type, params, {
        channel: d.channel,
        language: d.language as Language,
        patientId: d.patientId,
        deliveryId: d.id,
        attempt,
      });
      if (!resolved) return log.skipped(d.id, 'no longer applies (changed, cancelled or past)');
      if (resolved.patientId !== undefined && resolved.patientId !== d.patientId) {
        await db.tx((ctx) => log.setPatient(ctx, d.id, resolved.patientId ?? null));
      }
      const patientId = resolved.patientId ?? d.patientId;
      const settings = await clinic.get();
      const vars: Record<string, string | undefined> = {
        clinicName: settings.name,
        clinicPhone: settings.phone,
        address: settings.address,
        ...resolved.vars,
      };
      const template = await deps.templates.get({
        type,
        channel: d.channel,
        language: d.language as Language,
      });
      // The same message keeps its key across retries, so a provider that honours keys drops a
      // duplicate; a code or an invitation is made anew each try, so its key changes with it.
      const remade = type === 'sign-in-code' || type === 'portal-invite';
      const idempotencyKey = remade ? `delivery-${d.id}-${job.attempts}` : `delivery-${d.id}`;
      try {
        let providerId: string;
        if (d.channel === 'email') {
          let body = template.body;
          const headers: Record<string, string> = {};
          if (!kind.essential && patientId && !d.staffId) {
            const link = await deps.unsubscribe.link(patientId, 'email');
            vars.unsubscribeLink = link;
            body += `\n\n${d.language === 'fr' ? 'Ne plus recevoir ces emails' : 'Stop these emails'}: {{unsubscribeLink}}`;
            headers['List-Unsubscribe'] = `<${link}>`;
            headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
          }
          ({ providerId } = await deps.mail.send({
            to: d.recipient,
            subject: renderText(template.subject ?? '', vars),
            text: renderText(body, vars),
            html: renderHtml(body, vars),
            ...(resolved.attachments ? { attachments: resolved.attachments } : {}),
            ...(Object.keys(headers).length ? { headers } : {}),
            idempotencyKey,
          }));
        } else if (d.channel === 'sms') {
          const text = renderText(template.body, vars);
          if (!(await deps.smsBudget.reserve(text, { essential: kind.essential }))) {
            await log.failed(d.id, 'over the monthly SMS budget', true);
            await fallBackToEmail({ patientId, messageType: type }, key, params);
            return;
          }
          ({ providerId } = await deps.sms.send({ to: d.recipient, text, idempotencyKey }));
        } else {
          if (!patientId) throw new PermanentPushError('push needs a patient');
          ({ providerId } = await deps.push.sendToPatient(patientId, {
            title: renderText(template.subject ?? '{{clinicName}}', vars),
            body: renderText(template.body, vars),
            url: resolved.url ?? appUrl,
          }));
        }
        await log.sent(d.id, providerId);
      } catch (e) {
        const permanent =
          e instanceof PermanentMailError ||
          e instanceof PermanentSmsError ||
          e instanceof PermanentPushError;
        const final = permanent || attempt >= job.maxAttempts;
        await log.failed(d.id, (e as Error).message, final);
        if (
          final &&
          d.channel === 'sms' &&
          !kind.essential &&
          (await fallBackToEmail({ patientId, messageType: type }, key, params))
        ) {
          return;
        }
        if (permanent) throw new PermanentJobError((e as Error).message);
        throw e;
      }
    },
  });

  return {
    dispatch,

    /** "Send a test": one message through the real job and transport, logged like any other. */
    async sendTest(actor: Actor & { id: string }, channel: 'email' | 'sms', to: string): Promise<void> {
      let address: string;
      if (channel === 'email') {
        const email = z.email().safeParse(to.trim());
        if (!email.success)
          throw validationFailed([{ path: 'email', message: 'Enter a valid email address.' }]);
        address = `email:${email.data.toLowerCase()}`;
      } else {
        const phone = parsePhoneNumberFromString(to.trim());
        if (!phone?.isValid()) {
          throw validationFailed([
            {
              path: 'phone',
              message: 'Enter a mobile number with its country code, such as +44 7911 123456.',
            },
          ]);
        }
        address = `phone:${phone.number}`;
      }
      await db.tx(async (ctx) => {
        await dispatch(ctx, { type: 'test', to: { address, staffId: actor.id }, key: `test:${newId()}` });
        await deps.audit.record(ctx, actor, {
          action: 'notifications.send-test',
          entity: 'delivery',
          details: { channel },
        });
      });
    },
    /** Adds the resolvers of an area's message types (app.ts wires them; areas never import each other's jobs). */
    register(resolver: MessageResolver) {
      for (const type of resolver.types) {
        if (resolvers.has(type)) throw new Error(`message type ${type} has two resolvers`);
        resolvers.set(type, resolver);
      }
    },
    definitions: [send] as JobDefinition<any>[],
  };
}

export type Notifier = ReturnType<typeof notifier>;
