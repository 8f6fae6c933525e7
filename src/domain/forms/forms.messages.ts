import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { defineMessages } from '../area.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { MessageResolver, ResolveTarget } from '../notifications/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';
import catalogue from './forms.messages.json' with { type: 'json' };
import { countOpenForms } from './forms.repo.ts';

const messages = defineMessages(catalogue);

/** Forms wait in the patient app (sent from the chart, or with a booking): how many, never what they ask. */
export const formToFillMessage = messages['form-to-fill'];
/** A day before the appointment: a form for it is still to fill in. */
export const formReminderMessage = messages['form-reminder'];

const toFillParams = z.object({ formIds: z.array(z.string()), appointmentId: z.string().nullable() });
const reminderParams = z.object({ formIds: z.array(z.string()), appointmentId: z.string() });

/**
 * The forms area's messages, resolved at send time: nothing is sent once every form named was
 * submitted, nor a reminder for an appointment no longer booked or already begun. The link opens
 * the app's forms; a guardian's message names the dependant.
 */
export function formsMessages(deps: {
  db: Db;
  clock: Clock;
  clinic: Pick<ClinicService, 'get'>;
  appointments: Pick<AppointmentsService, 'forNotification' | 'patientForNotification'>;
  baseUrl: string;
}): MessageResolver {
  const link = `${deps.baseUrl}/app/#/forms`;
  return {
    messages: [formToFillMessage, formReminderMessage],
    async resolve(type, params, target) {
      const p = type === formReminderMessage.type ? reminderParams.parse(params) : toFillParams.parse(params);
      const open = await countOpenForms(deps.db.reader, p.formIds);
      if (open === 0) return null;
      const found = p.appointmentId ? await deps.appointments.forNotification(p.appointmentId) : null;
      if (type === formReminderMessage.type) {
        const a = found?.appointment;
        if (!a || a.status !== 'booked' || a.startAt.getTime() <= deps.clock.now().getTime()) return null;
      }
      const clinic = await deps.clinic.get();
      const when = found
        ? DateTime.fromJSDate(found.appointment.startAt, { zone: clinic.timeZone })
            .setLocale(target.language)
            .toLocaleString(DateTime.DATETIME_HUGE)
        : '';
      return {
        vars: { ...(await names(deps, target)), count: String(open), when, link },
        url: link,
      };
    },
  };
}

/** `recipientName` (who reads it) and `dependantName` (empty in the patient's own message). */
async function names(
  deps: { appointments: Pick<AppointmentsService, 'patientForNotification'> },
  target: ResolveTarget,
): Promise<{ recipientName: string; dependantName: string }> {
  const patient = await deps.appointments.patientForNotification(target.patientId ?? '');
  const guardianId = target.contactId && target.contactId !== target.patientId ? target.contactId : null;
  const guardian = guardianId ? await deps.appointments.patientForNotification(guardianId) : null;
  const patientName = patient?.firstName ?? '';
  return guardian
    ? { recipientName: guardian.firstName, dependantName: patientName }
    : { recipientName: patientName, dependantName: '' };
}
