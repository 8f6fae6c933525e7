export { defaultTemplates, type MessageTemplate } from './default-templates.ts';
export {
  type Delivery,
  type DeliveryLog,
  type DeliveryStatus,
  deliveryLog,
  deliveryStatuses,
} from './deliveries.ts';
export {
  type Channel,
  channels,
  type Language,
  languageOf,
  languages,
  type MessageType,
  messageKinds,
  messageTypes,
} from './messages.ts';
export { notificationJobs, PRUNE_DELIVERIES } from './notifications.jobs.ts';
export {
  type Dispatch,
  type MessageResolver,
  type Notifier,
  notifier,
  type Recipient,
  type Resolved,
  SEND_MESSAGE,
} from './notifier.ts';
export { type PatientPush, patientPush, pushEndpointInput, pushSubscriptionInput } from './push.ts';
export { quietHoursColumn, quietHoursOf, quietUntil } from './quiet-hours.ts';
export { type SmsBudget, smsBudget } from './sms-budget.ts';
export { type StaffAlerts, staffAlerts } from './staff-alerts.ts';
export {
  type MessageTemplates,
  messageTemplates,
  type TemplateKey,
  templateKey,
} from './templates.service.ts';
export { type UnsubscribeLinks, unsubscribeLinks } from './unsubscribe.ts';
