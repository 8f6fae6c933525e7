import type { DeliveryRowView } from '../../../views/components/delivery-table.tsx';
import { type Delivery, deliveryStateOf } from '../../domain/notifications/index.ts';
import { clinicTime } from './clinic-time.ts';

/** A delivery row as the tables show it (no body: the log never has one), times in `timeZone`. */
export const deliveryRowView = (d: Delivery, timeZone: string, withPatient = false): DeliveryRowView => {
  const state = deliveryStateOf(d);
  // A message no provider took says so as its status ("not sent (no SMS provider)"), not as an error.
  const notSent = state === 'not-sent';
  return {
    id: d.id,
    createdAt: clinicTime(d.createdAt, timeZone),
    sentAt: clinicTime(d.sentAt, timeZone),
    channel: d.channel,
    type: d.messageType,
    language: d.language,
    recipient: d.channel === 'push' ? 'their devices' : d.recipient,
    status: state,
    statusText: notSent ? (d.lastError ?? 'not sent') : d.status,
    attempts: d.attempts,
    providerId: d.providerId ?? '—',
    lastError: notSent ? '' : (d.lastError ?? ''),
    patientHref: withPatient && d.patientId ? `/staff/patients/${d.patientId}` : undefined,
  };
};
