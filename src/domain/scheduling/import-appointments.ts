import type { DbCtx } from '../../db/client.ts';
import { isAppError } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { listRecordsOnFile, type RecordOnFile, searchNameOf } from '../patients/index.ts';
import {
  type AppointmentDeps,
  announceBooking,
  lockPractitioner,
  scheduleReminders,
} from './appointment-steps.ts';
import { listAppointmentsFrom } from './appointments.repo.ts';
import { blockOf } from './booking-rules.ts';
import { checkBookable, placeBooking } from './place-booking.ts';
import type { PractitionerView } from './practitioners.service.ts';
import { listServices, type Service } from './services.repo.ts';

/**
 * Future appointments brought in from another system (a CSV export). Each row names its patient
 * (by email, or by name and date of birth: a record on file, else the row is refused), its
 * practitioner and service (by name, case-insensitive), and its start (already read in the
 * clinic's zone). Rows in the past, or clashing with an appointment on file or an earlier row of
 * the file, are refused with the reason; a row identical to an appointment on file (same patient,
 * practitioner, service and start) is skipped as already there, so a second run of the same file
 * makes nothing twice.
 *
 * Rows are written in batches, one transaction each, through the booking's own insert
 * (`placeBooking`, under the practitioner's lock): the no-double-booking guarantee holds against
 * bookings made meanwhile too — a row that lost its time is refused at write. No confirmation or
 * reminder is sent unless `notify`.
 */

/** One row as read from the file (the start in the clinic's zone, or null when unreadable). */
export interface AppointmentImportRow {
  email: string;
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD where it could be read. */
  dateOfBirth: string;
  practitioner: string;
  service: string;
  start: Date | null;
  /** The start as typed (for the reason a row is refused). */
  startTyped: string;
  reason: string;
}

export interface ImportableAppointment {
  line: number;
  patientId: string;
  practitionerId: string;
  service: Service;
  start: Date;
  reason: string;
}

export type AppointmentImportOutcome =
  | { kind: 'new'; row: ImportableAppointment }
  | { kind: 'on-file' }
  | { kind: 'rejected'; reason: string };

export interface Refusal {
  line: number;
  reason: string;
}

export interface AppointmentImport {
  /** Checks one row (and remembers it, for the clashes of later rows). */
  check(line: number, input: AppointmentImportRow): AppointmentImportOutcome;
  /**
   * Books the rows checked as new in one transaction (each with its audit row); answers the rows
   * refused there (a time taken meanwhile). `inTx` runs last in the transaction.
   */
  write(
    rows: ImportableAppointment[],
    inTx?: (ctx: DbCtx, refused: Refusal[]) => Promise<void>,
  ): Promise<Refusal[]>;
}

const DAY = 86_400_000;
const dayOf = (d: Date) => Math.floor(d.getTime() / DAY);
const lower = (s: string) => s.trim().toLowerCase();

interface Busy {
  start: Date;
  end: Date;
  /** The file line that booked it, or undefined for an appointment on file. */
  line?: number;
}

export async function startAppointmentImport(
  deps: AppointmentDeps & { practitioners: { list(): Promise<PractitionerView[]> } },
  actor: Actor,
  options: { notify: boolean },
): Promise<AppointmentImport> {
  const { db, clock } = deps;
  const now = clock.now();
  const [practitioners, services, records, onFile] = await Promise.all([
    deps.practitioners.list(),
    listServices(db.reader),
    listRecordsOnFile(db.reader),
    listAppointmentsFrom(db.reader, now),
  ]);

  const practitionerByName = new Map<string, PractitionerView[]>();
  for (const p of practitioners) {
    for (const name of new Set([lower(p.name), lower(p.profile?.displayName ?? '')])) {
      if (name) practitionerByName.set(name, [...(practitionerByName.get(name) ?? []), p]);
    }
  }
  const serviceByName = new Map<string, Service[]>();
  for (const s of services.filter((s) => s.active)) {
    serviceByName.set(lower(s.name), [...(serviceByName.get(lower(s.name)) ?? []), s]);
  }
  const byEmail = new Map<string, RecordOnFile[]>();
  const byNameAndBirth = new Map<string, RecordOnFile[]>();
  for (const r of records) {
    if (r.email) byEmail.set(r.email.toLowerCase(), [...(byEmail.get(r.email.toLowerCase()) ?? []), r]);
    const key = `${r.searchName}|${r.dateOfBirth}`;
    byNameAndBirth.set(key, [...(byNameAndBirth.get(key) ?? []), r]);
  }

  // Each practitioner's busy blocks by day (a block is at most a day long: look a day either side).
  const busy = new Map<string, Map<number, Busy[]>>();
  const addBusy = (practitionerId: string, b: Busy) => {
    let days = busy.get(practitionerId);
    if (!days) {
      days = new Map();
      busy.set(practitionerId, days);
    }
    const day = dayOf(b.start);
    const list = days.get(day);
    if (list) list.push(b);
    else days.set(day, [b]);
  };
  const clashOf = (practitionerId: string, block: { start: Date; end: Date }): Busy | undefined => {
    const days = busy.get(practitionerId);
    if (!days) return undefined;
    const day = dayOf(block.start);
    for (const d of [day - 1, day, day + 1]) {
      const hit = days
        .get(d)
        ?.find((b) => b.start.getTime() < block.end.getTime() && b.end.getTime() > block.start.getTime());
      if (hit) return hit;
    }
    return undefined;
  };
  const already = new Set<string>();
  const sameKey = (patientId: string, practitionerId: string, serviceId: string, start: Date) =>
    `${patientId}|${practitionerId}|${serviceId}|${start.getTime()}`;
  for (const a of onFile) {
    addBusy(a.practitionerId, { start: a.blockStartAt, end: a.blockEndAt });
    already.add(sameKey(a.patientId, a.practitionerId, a.serviceId, a.startAt));
  }

  function patientOf(input: AppointmentImportRow): RecordOnFile | string {
    const email = input.email.trim().toLowerCase();
    if (email) {
      const found = byEmail.get(email) ?? [];
      if (found.length === 1) return found[0]!;
      if (found.length > 1) return `more than one patient has the email ${email}`;
    }
    if (input.firstName && input.lastName && /^\d{4}-\d{2}-\d{2}$/.test(input.dateOfBirth)) {
      const key = `${searchNameOf(input.firstName, input.lastName)}|${input.dateOfBirth}`;
      const found = byNameAndBirth.get(key) ?? [];
      if (found.length === 1) return found[0]!;
      if (found.length > 1) return 'more than one patient has this name and date of birth';
    }
    if (!email && !(input.firstName && input.lastName && input.dateOfBirth))
      return 'patient is missing: give an email, or a name and date of birth';
    return 'no patient on file with this email, or this name and date of birth';
  }

  function validate(line: number, input: AppointmentImportRow): ImportableAppointment | string {
    const patient = patientOf(input);
    if (typeof patient === 'string') return patient;
    if (patient.status !== 'active') return `patient record ${patient.id} is archived`;
    if (!input.practitioner) return 'practitioner is missing';
    const named = practitionerByName.get(lower(input.practitioner)) ?? [];
    if (named.length !== 1)
      return named.length
        ? `more than one practitioner is called "${input.practitioner}"`
        : `no practitioner called "${input.practitioner}"`;
    const practitioner = named[0]!;
    if (!practitioner.profile) return `${practitioner.name} has no practitioner profile yet (Settings)`;
    if (!input.service) return 'service is missing';
    const service = serviceByName.get(lower(input.service))?.[0];
    if (!service) return `no active service called "${input.service}"`;
    if (!practitioner.serviceIds.includes(service.id))
      return `${practitioner.name} does not offer "${service.name}"`;
    if (!input.start)
      return input.startTyped
        ? `start "${input.startTyped}" is not a date and time (in the clinic's time zone)`
        : 'start date and time are missing';
    if (input.start.getTime() <= now.getTime()) return 'starts in the past';
    return {
      line,
      patientId: patient.id,
      practitionerId: practitioner.accountId,
      service,
      start: input.start,
      reason: input.reason.slice(0, 500),
    };
  }

  return {
    check(line, input) {
      const row = validate(line, input);
      if (typeof row === 'string') return { kind: 'rejected', reason: row };
      const key = sameKey(row.patientId, row.practitionerId, row.service.id, row.start);
      if (already.has(key)) return { kind: 'on-file' };
      const block = blockOf(row.service, row.start);
      const clash = clashOf(row.practitionerId, block);
      if (clash) {
        return {
          kind: 'rejected',
          reason:
            clash.line === undefined
              ? 'clashes with an appointment on file'
              : `clashes with line ${clash.line}`,
        };
      }
      addBusy(row.practitionerId, { ...block, line });
      already.add(key);
      return { kind: 'new', row };
    },

    async write(rows, inTx) {
      if (rows.length === 0 && !inTx) return [];
      const booker = { actor, role: 'admin' as const };
      return db.tx(async (ctx) => {
        const refused: Refusal[] = [];
        for (const r of rows) {
          try {
            await lockPractitioner(ctx, r.practitionerId);
            await checkBookable(ctx, { ...r, serviceId: r.service.id });
          } catch (error) {
            if (!isAppError(error)) throw error;
            refused.push({ line: r.line, reason: error.message });
            continue;
          }
          const placed = await placeBooking(ctx, deps, {
            booker,
            patientId: r.patientId,
            practitionerId: r.practitionerId,
            service: r.service,
            start: r.start,
            reason: r.reason,
            status: 'booked',
          });
          if ('refused' in placed) {
            refused.push({
              line: r.line,
              reason:
                placed.refused === 'room_taken'
                  ? 'its room is taken then'
                  : 'clashes with an appointment booked meanwhile',
            });
            continue;
          }
          if (options.notify) {
            await announceBooking(ctx, deps, placed.row, 'booked', actor);
            await scheduleReminders(ctx, deps, placed.row);
          }
        }
        await inTx?.(ctx, refused);
        return refused;
      });
    },
  };
}
