import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbCtx } from '../../db/client.ts';
import {
  defineJob,
  type JobDefinition,
  type JobQueue,
  jobType,
  PermanentJobError,
} from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { e164, emailAddress, parseAddress, phoneAddress } from '../../lib/contact.ts';
import { validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { type MailMessage, type MailTransport, PermanentMailError } from '../../notify/email/index.ts';
import { PermanentPushError } from '../../notify/push/index.ts';
import { PermanentSmsError, type SmsTransport } from '../../notify/sms/index.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { Delivery, DeliveryLog } from './deliveries.ts';
import {
  type Channel,
  channels,
  type Language,
  languageOf,
  type MessageType,
  messageKinds,
} from './messages.ts';
import type { PatientPush } from './push.ts';
import { quietHoursOf, quietUntil } from './quiet-hours.ts';
import { renderHtml, renderText } from './render.ts';
import type { SmsBudget } from './sms-budget.ts';
import type { MessageTemplates } from './templates.service.ts';
import type { UnsubscribeLinks } from './unsubscribe.ts';

export const SEND_MESSAGE = jobType(
  'notifications.send-message',
  z.object({ deliveryId: z.string(), params: z.record(z.string(), z.unknown()), key: z.string() }),
);

/**
 * Who a message is for: a patient (by their consents — or, on a channel where the patient has no
 * address, like a dependant, by each active guardian's; `contactId` keeps only that one), a staff
 * member, or one fixed address.
 */
export type Recipient =
  | { patientId: string; contactId?: string }
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
  /**
   * When the message stops being useful (an appointment's start). An SMS whose quiet hours last
   * until then is not held past it: it is skipped and the message goes by email instead.
   */
  deadline?: Date;
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
  const appUrl = `${deps.baseUrl}/app/`;

  interface Target {
    channel: Channel;
    recipient: string;
    patientId: string | null;
    staffId: string | null;
    /** Whose consents and address it goes by (the patient or a guardian); null: an address given. */
    contactId: string | null;
    language: Language;
    quiet: string | null;
    /** Tells one guardian's delivery from another's in the dedupe key ('' for the patient). */
    keySuffix: string;
  }

  type PatientRow = typeof db.reader.t.patients.$inferSelect;
  const consents = (p: PatientRow): Record<Channel, boolean> => ({
    email: p.messagesByEmail,
    sms: p.messagesBySms,
    push: p.messagesByPush,
  });
  /** The patient's (or guardian's) address on a channel, null when they have none. */
  const addressOn = async (ctx: DbCtx, p: PatientRow, channel: Channel): Promise<string | null> => {
    if (channel === 'email') return p.email;
    if (channel === 'sms') return p.phone;
    return (await deps.push.hasDevices(ctx, p.id)) ? 'devices' : null;
  };
  /** The active guardians of a dependant, in a stable order. */
  const guardiansOf = async (ctx: DbCtx, dependentId: string): Promise<PatientRow[]> => {
    const g = ctx.t.patientGuardians;
    const p = ctx.t.patients;
    const rows = await ctx.db
      .select({ guardian: p })
      .from(g)
      .innerJoin(p, eq(p.id, g.guardianId))
      .where(and(eq(g.dependentId, dependentId), eq(p.status, 'active')))
      .orderBy(g.createdAt, g.guardianId);
    return rows.map((r) => r.guardian);
  };

  async function targetsOf(ctx: DbCtx, to: Recipient, essential: boolean): Promise<Target[]> {
    const settings = await clinic.get(ctx);
    const clinicLanguage = languageOf(settings.locale);
    if ('address' in to) {
      const parsed = parseAddress(to.address);
      if (!parsed) return [];
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
          channel: parsed.kind === 'phone' ? 'sms' : 'email',
          recipient: parsed.value,
          patientId: to.patientId ?? null,
          staffId: to.staffId ?? null,
          contactId: null,
          language,
          quiet: null,
          keySuffix: '',
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
          contactId: null,
          language: clinicLanguage,
          quiet: null,
          keySuffix: '',
        },
      ];
    }
    const p = ctx.t.patients;
    const [row] = await ctx.db.select().from(p).where(eq(p.id, to.patientId));
    if (!row) return [];
    let guardians: PatientRow[] | undefined;
    const out: Target[] = [];
    const add = (contact: PatientRow, channel: Channel, recipient: string) => {
      if (to.contactId && to.contactId !== contact.id) return;
      if (!essential && !consents(contact)[channel]) return;
      out.push({
        channel,
        recipient,
        patientId: row.id,
        staffId: null,
        contactId: contact.id,
        language: languageOf(contact.preferredLanguage ?? settings.locale),
        quiet: channel === 'sms' ? (contact.quietHours ?? null) : null,
        keySuffix: contact.id === row.id ? '' : `:${contact.id}`,
      });
    };
    for (const channel of channels) {
      const own = await addressOn(ctx, row, channel);
      if (own) {
        add(row, channel, own);
        continue;
      }
      // No address of their own on this channel (a dependant): each guardian's, by their consents.
      guardians ??= await guardiansOf(ctx, row.id);
      for (const g of guardians) {
        const theirs = await addressOn(ctx, g, channel);
        if (theirs) add(g, channel, theirs);
      }
    }
    return out;
  }

  /** Writes one delivery row (and, unless `inline`, its job); null when the key was used already. */
  async function writeDelivery(
    ctx: DbCtx,
    message: Dispatch,
    target: Target,
    options: { runAt: Date; skipped?: string; inline?: boolean },
  ): Promise<string | null> {
    const kind = messageKinds[message.type];
    const id = newId();
    const now = clock.now();
    const inserted = await ctx.db
      .insert(ctx.t.deliveries)
      .values({
        id,
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
      })
      .onConflictDoNothing()
      .returning({ id: ctx.t.deliveries.id });
    if (!inserted[0]) return null;
    if (options.skipped || options.inline) return id;
    const job = await queue.enqueue(
      ctx,
      SEND_MESSAGE,
      { deliveryId: id, params: message.params ?? {}, key: message.key },
      {
        runAt: options.runAt,
        maxAttempts: attemptsOf[target.channel],
        priority: kind.essential ? -1 : 0,
      },
    );
    await ctx.db.update(ctx.t.deliveries).set({ jobId: job.id }).where(eq(ctx.t.deliveries.id, id));
    return id;
  }

  /*
   * Quiet hours: an SMS due inside them waits for their end — unless they last until the message's
   * deadline (a reminder of an 08:00 appointment held until 08:00 would come too late). Then the
   * SMS is logged as skipped and the message goes by email to the same person instead (if they
   * take email; nothing twice when the email goes anyway). The simpler rule of the two possible:
   * sending before the quiet hours began would mean sending in the past.
   */
  async function writeAll(ctx: DbCtx, message: Dispatch, inline = false): Promise<string[]> {
    const kind = messageKinds[message.type];
    const settings = await clinic.get(ctx);
    const all = (await targetsOf(ctx, message.to, kind.essential)).filter((t) =>
      kind.channels.includes(t.channel),
    );
    const pending = all.filter((t) => !message.channels || message.channels.includes(t.channel));
    const ids: string[] = [];
    for (let i = 0; i < pending.length; i++) {
      const target = pending[i]!;
      let runAt = message.runAt ?? clock.now();
      if (target.channel === 'sms' && !kind.essential) {
        const until = quietUntil(
          runAt,
          settings.timeZone,
          quietHoursOf(target.quiet, settings.smsQuietHours),
        );
        if (until && message.deadline && until.getTime() >= message.deadline.getTime()) {
          const email = all.find((t) => t.channel === 'email' && t.contactId === target.contactId);
          await writeDelivery(ctx, message, target, {
            runAt,
            skipped: `quiet hours last until the appointment: ${email ? 'sent by email instead' : 'no email to send instead'}`,
          });
          if (email && !pending.includes(email)) pending.push(email);
          continue;
        }
        if (until) runAt = until;
      }
      const id = await writeDelivery(ctx, message, target, { runAt, inline });
      if (id) ids.push(id);
    }
    return ids;
  }

  async function dispatch(ctx: DbCtx, message: Dispatch): Promise<number> {
    return (await writeAll(ctx, message)).length;
  }

  /** An SMS that cannot go (over budget, refused for good) goes by email, unless email was sent too. */
  async function fallBackToEmail(
    delivery: { patientId: string | null; contactId: string | null; messageType: string },
    key: string,
    params: Record<string, unknown>,
  ) {
    if (!delivery.patientId) return false;
    const to: Recipient = delivery.contactId
      ? { patientId: delivery.patientId, contactId: delivery.contactId }
      : { patientId: delivery.patientId };
    return db.tx(
      async (ctx) =>
        (await dispatch(ctx, {
          type: delivery.messageType as MessageType,
          to,
          params,
          key,
          channels: ['email'],
        })) > 0,
    );
  }

  /**
   * Where a message that goes by a person's consents goes now: their current address, or why it
   * does not go any more (they turned the channel off or unsubscribed, removed the address, were
   * archived, or stopped being the dependant's guardian since it was queued).
   */
  async function currentAddress(d: Delivery): Promise<{ to: string } | { skip: string }> {
    const r = db.reader;
    const [contact] = await r.db.select().from(r.t.patients).where(eq(r.t.patients.id, d.contactId!));
    if (!contact || contact.status !== 'active') return { skip: 'the recipient is no longer active' };
    if (d.patientId && d.contactId !== d.patientId) {
      const g = r.t.patientGuardians;
      const [link] = await r.db
        .select({ id: g.guardianId })
        .from(g)
        .where(and(eq(g.guardianId, d.contactId!), eq(g.dependentId, d.patientId)));
      if (!link) return { skip: 'no longer a guardian of the patient' };
    }
    if (!consents(contact)[d.channel]) return { skip: `the recipient turned ${d.channel} messages off` };
    if (d.channel === 'push') return { to: d.recipient };
    const to = d.channel === 'email' ? contact.email : contact.phone;
    return to
      ? { to }
      : { skip: `the recipient has no ${d.channel === 'email' ? 'email' : 'phone'} any more` };
  }

  /*
   * Sends one delivery. Re-reads everything: the recipient's consent and address for a message
   * that goes by them (off since it was queued: skipped; a new address: used), and the message's
   * values (the resolver answers null when the appointment changed or passed: skipped); counts the
   * attempt first; a permanent refusal fails the delivery (and kills the job), a passing one
   * throws for the queue to retry until the last attempt.
   */
  async function deliver(
    deliveryId: string,
    params: Record<string, unknown>,
    key: string,
    run: { attempt: number; maxAttempts: number; tries: number },
  ): Promise<void> {
    const { attempt } = run;
    const d = await log.get(deliveryId);
    if (!d || d.status !== 'queued') return;
    const type = d.messageType as MessageType;
    const kind = messageKinds[type];
    const resolver = resolvers.get(type);
    if (!resolver) throw new PermanentJobError(`no resolver for message type ${type}`);
    await log.attempt(d.id);
    let recipient = d.recipient;
    if (!kind.essential && d.contactId) {
      const now = await currentAddress(d);
      if ('skip' in now) return log.skipped(d.id, now.skip);
      if (now.to !== d.recipient) await log.setRecipient(d.id, now.to);
      recipient = now.to;
    }
    const resolved = await resolver.resolve(type, params, {
      channel: d.channel,
      language: d.language as Language,
      patientId: d.patientId,
      deliveryId: d.id,
      attempt,
    });
    if (!resolved) return log.skipped(d.id, 'no longer applies (changed, cancelled or past)');
    const settings = await clinic.get();
    let language = d.language as Language;
    if (resolved.patientId !== undefined && resolved.patientId !== d.patientId) {
      // A code asked for by a known patient's address: in that patient's language.
      if (resolved.patientId) {
        const r = db.reader;
        const [p] = await r.db
          .select({ lang: r.t.patients.preferredLanguage })
          .from(r.t.patients)
          .where(eq(r.t.patients.id, resolved.patientId));
        if (p?.lang) language = languageOf(p.lang);
      }
      await db.tx((ctx) => log.setPatient(ctx, d.id, resolved.patientId ?? null, language));
    }
    const patientId = resolved.patientId ?? d.patientId;
    /** Whose devices and unsubscribe link: the guardian's for a dependant's message. */
    const contactId = d.contactId ?? patientId;
    const vars: Record<string, string | undefined> = {
      clinicName: settings.name,
      clinicPhone: settings.phone,
      address: settings.address,
      ...resolved.vars,
    };
    const template = await deps.templates.get({ type, channel: d.channel, language });
    // The same message keeps its key across retries, so a provider that honours keys drops a
    // duplicate; a code or an invitation is made anew each try, so its key changes with it.
    const remade = type === 'sign-in-code' || type === 'portal-invite';
    const idempotencyKey = remade ? `delivery-${d.id}-${run.tries}` : `delivery-${d.id}`;
    try {
      let providerId: string;
      if (d.channel === 'email') {
        let body = template.body;
        const headers: Record<string, string> = {};
        if (!kind.essential && contactId && !d.staffId) {
          const link = await deps.unsubscribe.link(contactId, 'email');
          vars.unsubscribeLink = link;
          body += `\n\n${language === 'fr' ? 'Ne plus recevoir ces emails' : 'Stop these emails'}: {{unsubscribeLink}}`;
          headers['List-Unsubscribe'] = `<${link}>`;
          headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
        }
        ({ providerId } = await deps.mail.send({
          to: recipient,
          subject: renderText(template.subject ?? '', vars),
          text: renderText(body, vars),
          html: renderHtml(body, vars),
          ...(resolved.attachments ? { attachments: resolved.attachments } : {}),
          ...(Object.keys(headers).length ? { headers } : {}),
          idempotencyKey,
        }));
      } else if (d.channel === 'sms') {
        const text = renderText(template.body, vars);
        if (!(await deps.smsBudget.reserve(d.id, text, { essential: kind.essential }))) {
          await log.failed(d.id, 'over the monthly SMS budget', true);
          await fallBackToEmail({ patientId, contactId: d.contactId, messageType: type }, key, params);
          return;
        }
        ({ providerId } = await deps.sms.send({ to: recipient, text, idempotencyKey }));
      } else {
        if (!contactId) throw new PermanentPushError('push needs a patient');
        ({ providerId } = await deps.push.sendToPatient(contactId, {
          title: renderText(template.subject ?? '{{clinicName}}', vars),
          body: renderText(template.body, vars),
          url: resolved.url ?? appUrl,
        }));
      }
      await log.sent(d.id, providerId);
    } catch (e) {
      const permanent =
        e instanceof PermanentMailError || e instanceof PermanentSmsError || e instanceof PermanentPushError;
      const final = permanent || attempt >= run.maxAttempts;
      await log.failed(d.id, (e as Error).message, final);
      if (
        final &&
        d.channel === 'sms' &&
        !kind.essential &&
        (await fallBackToEmail({ patientId, contactId: d.contactId, messageType: type }, key, params))
      ) {
        return;
      }
      if (permanent) throw new PermanentJobError((e as Error).message);
      throw e;
    }
  }

  const send = defineJob(SEND_MESSAGE, {
    backoff: { baseMs: 30_000, capMs: 3_600_000 },
    handle: ({ deliveryId, params, key }, { job, attempt }) =>
      deliver(deliveryId, params, key, { attempt, maxAttempts: job.maxAttempts, tries: job.attempts }),
  });

  return {
    dispatch,

    /**
     * "Send a test": one message through the real transport, logged like any other — by its job
     * (the settings page), or `inline`, sent here and now with no retry (`clinicbox doctor`,
     * which reports the outcome). Answers the delivery as it stands afterwards.
     */
    async sendTest(
      actor: Actor,
      channel: 'email' | 'sms',
      to: string,
      options: { inline?: boolean } = {},
    ): Promise<Delivery | null> {
      let address: string;
      if (channel === 'email') {
        const email = z.email().safeParse(to.trim());
        if (!email.success)
          throw validationFailed([{ path: 'email', message: 'Enter a valid email address.' }]);
        address = emailAddress(email.data);
      } else {
        const phone = e164.safeParse(to);
        if (!phone.success)
          throw validationFailed([{ path: 'phone', message: phone.error.issues[0]!.message }]);
        address = phoneAddress(phone.data);
      }
      const key = `test:${newId()}`;
      const [id] = await db.tx(async (ctx) => {
        const ids = await writeAll(
          ctx,
          { type: 'test', to: { address, staffId: actor.type === 'staff' ? actor.id : null }, key },
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
        await deliver(id, {}, key, { attempt: 1, maxAttempts: 1, tries: 1 }).catch(() => undefined);
      }
      return log.get(id);
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
