import type { MailTransport } from '../../notify/email/index.ts';
import type { SendOutcome } from '../../notify/log-transport.ts';
import { PermanentPushError } from '../../notify/push/index.ts';
import type { SmsTransport } from '../../notify/sms/index.ts';
import type { Language, MessageTemplate, Resolved } from './messages.ts';
import type { Delivery } from './notifications.repo.ts';
import type { PatientPush } from './push.ts';
import { renderHtml, renderText } from './render.ts';
import type { SmsBudget } from './sms-budget.ts';
import type { UnsubscribeLinks } from './unsubscribe.ts';

export interface ChannelDeps {
  mail: MailTransport;
  sms: SmsTransport;
  push: Pick<PatientPush, 'sendToPatient'>;
  smsBudget: SmsBudget;
  unsubscribe: UnsubscribeLinks;
  baseUrl: string;
}

/** One delivery, ready to go: its wording, values and address as they are now. */
export interface Outgoing {
  delivery: Delivery;
  /** The address now (the contact's current one). */
  recipient: string;
  template: MessageTemplate;
  vars: Record<string, string | undefined>;
  language: Language;
  essential: boolean;
  /** Whose devices and unsubscribe link: the guardian's for a dependant's message. */
  contactId: string | null;
  resolved: Resolved;
  idempotencyKey: string;
}

/**
 * Renders the message for its channel and hands it to the transport: answers the provider's id,
 * or `notSent` when no provider of the channel is configured (the log driver), or null when an
 * SMS would pass the monthly budget (nothing sent). Transports throw for a refusal (permanent or
 * for now); the caller records it.
 */
export function sendByChannel(deps: ChannelDeps, out: Outgoing): Promise<SendOutcome | null> {
  if (out.delivery.channel === 'email') return sendEmail(deps, out);
  if (out.delivery.channel === 'sms') return sendSms(deps, out);
  return sendPush(deps, out);
}

/** An email, with a one-click unsubscribe link unless essential or to staff. */
async function sendEmail(deps: ChannelDeps, out: Outgoing): Promise<SendOutcome> {
  const { template, language, contactId, resolved } = out;
  const vars = { ...out.vars };
  let body = template.body;
  const headers: Record<string, string> = {};
  if (!out.essential && contactId && !out.delivery.staffId) {
    const link = await deps.unsubscribe.link(contactId, 'email');
    vars.unsubscribeLink = link;
    body += `\n\n${language === 'fr' ? 'Ne plus recevoir ces emails' : 'Stop these emails'}: {{unsubscribeLink}}`;
    headers['List-Unsubscribe'] = `<${link}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return deps.mail.send({
    to: out.recipient,
    subject: renderText(template.subject ?? '', vars),
    text: renderText(body, vars),
    html: renderHtml(body, vars),
    ...(resolved.attachments ? { attachments: resolved.attachments } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    idempotencyKey: out.idempotencyKey,
  });
}

/**
 * An SMS, counted against the month's budget first (once per delivery) — unless no provider is
 * configured: what only goes to the log costs nothing.
 */
async function sendSms(deps: ChannelDeps, out: Outgoing): Promise<SendOutcome | null> {
  const text = renderText(out.template.body, out.vars);
  if (
    deps.sms.kind !== 'log' &&
    !(await deps.smsBudget.reserve(out.delivery.id, text, { essential: out.essential }))
  ) {
    return null;
  }
  return deps.sms.send({ to: out.recipient, text, idempotencyKey: out.idempotencyKey });
}

/** A push notification to every device of the contact, opening the app (never a health detail). */
async function sendPush(deps: ChannelDeps, out: Outgoing): Promise<SendOutcome> {
  if (!out.contactId) throw new PermanentPushError('push needs a patient');
  return deps.push.sendToPatient(out.contactId, {
    title: renderText(out.template.subject ?? '{{clinicName}}', out.vars),
    body: renderText(out.template.body, out.vars),
    url: out.resolved.url ?? `${deps.baseUrl}/app/`,
  });
}
