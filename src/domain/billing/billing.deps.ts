import type { AreaDeps } from '../area.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { Notifier } from '../notifications/index.ts';
import type { AppointmentsService, ServicesService } from '../scheduling/index.ts';

/** What the billing area's use cases are given (index.ts builds it once). */
export interface BillingDeps extends AreaDeps {
  /** The clinic's time zone: the year of an invoice's number and its due date are local. */
  clinic: Pick<ClinicService, 'get'>;
  /** A service's name for its line. */
  services: Pick<ServicesService, 'get'>;
  /** An appointment to invoice; whether a practitioner has seen a patient (their invoices to read). */
  appointments: Pick<AppointmentsService, 'forNotification' | 'hasSeen'>;
  /** Invoices emailed to their payer (invoice-email.ts); absent: none are sent. */
  notify?: Pick<Notifier, 'dispatch'>;
}
