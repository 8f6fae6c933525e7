import { DateTime } from 'luxon';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { fieldIssue, notFound, validated, validationFailed } from '../../lib/errors.ts';
import { listActiveStaffIds } from '../accounts/index.ts';
import type { ClinicService, ClinicSettings } from '../clinic/index.ts';
import { type SlotSearchInput, slotSearchInput } from './appointments.schema.ts';
import { type LoadedAvailability, loadAvailability } from './availability.ts';
import { listOnlinePractitionersOffering } from './practitioners.repo.ts';
import { findServiceById, type Service } from './services.repo.ts';
import { findSlots, type Slot } from './slots.ts';

/**
 * The one way online slots are computed from the clinic's policy, a service and loaded
 * availability — for the search and for the booking transaction's re-check alike.
 */
export function onlineSlots(
  settings: ClinicSettings,
  service: Pick<Service, 'durationMin' | 'bufferBeforeMin' | 'bufferAfterMin'>,
  loaded: LoadedAvailability,
  range: { from: string; to: string; now: Date },
): Slot[] {
  return findSlots({
    timeZone: settings.timeZone,
    ...range,
    durationMin: service.durationMin,
    bufferBeforeMin: service.bufferBeforeMin,
    bufferAfterMin: service.bufferAfterMin,
    minNoticeMin: settings.minNoticeMinutes,
    horizonDays: settings.horizonDays,
    closedDates: loaded.closedDates,
    practitioners: loaded.practitioners,
  });
}

/** At most this many days per search (a month view). */
export const MAX_SEARCH_DAYS = 31;

/**
 * Online slot search: the bookable-online practitioners who offer the service (or the one
 * asked for), their availability from the tables, and the clinic's notice, horizon and closures.
 */
export function slotSearch(deps: { db: Db; clock: Clock; clinic: ClinicService }) {
  const { db, clock, clinic } = deps;

  return {
    async search(input: SlotSearchInput): Promise<Slot[]> {
      const parsed = validated(slotSearchInput, input);
      const q = parsed;
      const days = DateTime.fromISO(q.to).diff(DateTime.fromISO(q.from), 'days').days;
      if (days < 0) throw validationFailed([fieldIssue('to', 'to_before_from')]);
      if (days >= MAX_SEARCH_DAYS) {
        throw validationFailed([
          fieldIssue('to', { key: 'search_too_long', params: { days: MAX_SEARCH_DAYS } }),
        ]);
      }
      const settings = await clinic.get();
      const service = await findServiceById(db.reader, q.serviceId);
      if (!service?.active || !service.onlineBookable) throw notFound('that_service');
      if (!settings.selfBooking) return [];
      const offering = await listOnlinePractitionersOffering(db.reader, service.id, q.practitionerId);
      const active = await listActiveStaffIds(db.reader, offering);
      const loaded = await loadAvailability(db.reader, {
        practitionerIds: offering.filter((id) => active.has(id)),
        timeZone: settings.timeZone,
        from: q.from,
        to: q.to,
      });
      return onlineSlots(settings, service, loaded, { from: q.from, to: q.to, now: clock.now() });
    },
  };
}

export type SlotSearch = ReturnType<typeof slotSearch>;
