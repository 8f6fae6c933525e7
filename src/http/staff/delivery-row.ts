import type { DeliveryRowView } from '../../../views/components/delivery-table.tsx';
import type { Delivery } from '../../domain/notifications/index.ts';
import { clinicTime } from './clinic-time.ts';

/** A delivery row as the tables show it (no body: the log never has one), times in `timeZone`. */
export const deliveryRowView = (d: Delivery, timeZone: string, withPatient = false): DeliveryRowView => ({
  id: d.id,
  createdAt: clinicTime(d.createdAt, timeZone),
  sentAt: clinicTime(d.sentAt, timeZone),
  channel: d.channel,
  type: d.messageType,
  language: d.language,
  recipient: d.channel === 'push' ? 'their devices' : d.recipient,
  status: d.status,
  attempts: d.attempts,
  providerId: d.providerId ?? '—',
  lastError: d.lastError ?? '',
  patientHref: withPatient && d.patientId ? `/staff/patients/${d.patientId}` : undefined,
});
