import { areaJobs } from '../../jobs/index.ts';
import { type BuildDeps, defineArea } from '../area.ts';
import { deliveryLog } from './deliveries.ts';
import { type MessageCatalogue, messageRegistry } from './message-registry.ts';
import { notificationJobs } from './notifications.jobs.ts';
import { notificationsMessages } from './notifications.messages.ts';
import { notifier } from './notifier.ts';
import { notificationsEraseStep } from './patient-erase.repo.ts';
import { notificationsMergeStep } from './patient-merge.repo.ts';
import { patientPush } from './push.ts';
import { smsBudget } from './sms-budget.ts';
import { staffAlerts } from './staff-alerts.ts';
import { messageTemplates } from './templates.service.ts';
import { unsubscribeLinks } from './unsubscribe.ts';

export {
  type Delivery,
  type DeliveryLog,
  type DeliveryState,
  type DeliveryStatus,
  deliveryLog,
  deliveryStateOf,
  deliveryStates,
  deliveryStatuses,
} from './deliveries.ts';
export type { MessageCatalogue, MessageRegistry } from './message-registry.ts';
export {
  type Channel,
  channels,
  type Language,
  languageOf,
  languages,
  type MessageDefinition,
  type MessageResolver,
  type MessageTemplate,
  type MessageType,
  type Resolved,
  type ResolveTarget,
  type ShippedTemplates,
} from './messages.ts';
export { notificationJobs, PRUNE_DELIVERIES } from './notifications.jobs.ts';
/** When a message of a kind was last sent to a patient (an invoice's page: when it was last emailed). */
export { findLastSentDelivery } from './notifications.repo.ts';
export { type Dispatch, type Notifier, notifier, type Recipient, SEND_MESSAGE } from './notifier.ts';
export { type PatientPush, patientPush, pushEndpointInput, pushSubscriptionInput } from './push.ts';
export { quietUntil } from './quiet-hours.ts';
export { variablesFor } from './render.ts';
export { countSmsAgainstBudget } from './reports.repo.ts';
export { type SmsBudget, smsBudget } from './sms-budget.ts';
export { type StaffAlerts, staffAlerts } from './staff-alerts.ts';
/** For `clinicbox keys rotate`. */
export { resealStoredKeys } from './stored-keys.ts';
export {
  type MessageTemplates,
  messageTemplates,
  type TemplateKey,
  templateKey,
} from './templates.service.ts';
export { type UnsubscribeLinks, unsubscribeLinks } from './unsubscribe.ts';

/**
 * Messages to patients and staff: the dispatcher (channels, consents, quiet hours, fallbacks),
 * the delivery log, editable templates, push devices and unsubscribe links. Message types are
 * the areas' own (`defineMessage` in each `<area>.messages.ts`, this area's `test` included),
 * registered through each area's `messages` part once every area is built (areas.ts).
 */
export const notificationsArea = defineArea({
  name: 'notifications',
  build(deps: BuildDeps) {
    const { config, db, clock, audit, queue, clinic, publicUrl } = deps;
    const messages = messageRegistry();
    const templates = messageTemplates({ db, clock, audit, messages });
    const deliveries = deliveryLog({ db, clock, audit });
    const secrets = deps.keys.secrets;
    const unsubscribe = unsubscribeLinks({ db, clock, audit, baseUrl: publicUrl, secrets });
    const mailFrom = config.mailFrom;
    const push = patientPush({
      db,
      clock,
      audit,
      transport: deps.push,
      allowLocalEndpoints: deps.tuning.allowLocalPushEndpoints,
      secrets,
      subject: `mailto:${/<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom}`,
    });
    const budget = smsBudget({ db, clock, monthlyLimit: config.smsMonthlyLimit });
    const dispatcher = notifier({
      db,
      clock,
      audit,
      queue,
      clinic,
      templates,
      log: deliveries,
      mail: deps.mail,
      sms: deps.sms,
      push,
      smsBudget: budget,
      unsubscribe,
      baseUrl: publicUrl,
      messages,
    });
    const logJobs = notificationJobs({ log: deliveries, clock, retentionDays: config.deliveryRetention });
    return {
      services: {
        notifications: {
          notifier: dispatcher,
          deliveries,
          templates,
          push,
          unsubscribe,
          staffAlerts: staffAlerts({ db, clock, audit }),
          /** The registered message types (the template settings list them). */
          messages: messages as MessageCatalogue,
          /** Whether a provider of each channel is configured (else its messages are only logged, as not sent). */
          providers: { email: deps.mail.kind !== 'log', sms: deps.sms.kind !== 'log' },
          /** The monthly SMS budget and what this month used (for /metrics). */
          smsBudget: budget,
        },
      },
      jobs: areaJobs(...dispatcher.definitions, logJobs),
      messages: [notificationsMessages()],
      patientMerge: [notificationsMergeStep],
      patientErase: [notificationsEraseStep],
      // The VAPID key pair and the unsubscribe key are made at first start (and kept), so every
      // instance shares them; one kept in clear by an older version is sealed now. Messages an
      // older version logged as sent while no provider was configured are marked not sent.
      start: async () => {
        await push.publicKey();
        await unsubscribe.loadKey();
        await deliveries.relabelLogged();
      },
    };
  },
});
