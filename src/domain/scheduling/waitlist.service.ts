import { DateTime } from 'luxon';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { conflict, fieldIssue, notFound, validated, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import { findPatientStatus, lockPatient, type PatientContact, patientScope } from '../patients/index.ts';
import { recordChange } from '../record-change.ts';
import { auditingRefusals, patientRefused } from './access-refusals.ts';
import { findServiceById } from './services.repo.ts';
import type { SlotSearch } from './slot-search.ts';
import {
  findOverlappingWaiting,
  findWaitlistEntry,
  insertWaitlistEntry,
  listWaitingEntries,
  listWaitingFor,
  listWaitingWithService,
  markWaitlistOffered,
  updateWaitlistStatus,
  type WaitlistEntry,
} from './waitlist.repo.ts';
import { type WaitlistInput, waitlistInput } from './waitlist.schema.ts';
import { withPatientContacts, withPatientNames } from './with-patients.ts';

/** How many waiting patients one freed time is offered to at once (the first to book wins). */
export const OFFERS_PER_SLOT = 5;

export interface WaitlistOffer {
  entry: WaitlistEntry;
  patient: PatientContact;
  slot: { practitionerId: string; start: Date; end: Date };
}

type WaitlistDeps = { db: Db; clock: Clock; audit: AuditService; clinic: ClinicService; slots: SlotSearch };

/**
 * The waitlist. Staff add a patient for a service, a practitioner or anyone, and a date range.
 * When an appointment is cancelled or moved, a job asks `offersFor` which waiting patients could
 * take the freed time — re-checked against live slot search, so a time already re-booked is never
 * offered — and emails them; the booking rules make the first to book the only one.
 */
export function waitlistService(deps: WaitlistDeps) {
  const manage = manageEntries(deps);
  return {
    // A patient refused someone else's entry or patient is audited (access-refusals.ts).
    join: (actor: Actor, input: WaitlistInput) =>
      auditingRefusals(deps, actor, () => manage.join(actor, input)),
    remove: (actor: Actor, id: string) => auditingRefusals(deps, actor, () => manage.remove(actor, id)),
    ...listEntries(deps),
    ...offerFreedTime(deps),
  };
}

export type WaitlistService = ReturnType<typeof waitlistService>;

function manageEntries({ db, clock, audit }: WaitlistDeps) {
  return {
    async join(actor: Actor, input: WaitlistInput): Promise<WaitlistEntry> {
      const data = validated(waitlistInput, input);
      const patientId = data.patientId ?? (actor.type === 'patient' ? actor.id : null);
      if (!patientId) throw validationFailed([fieldIssue('patientId', 'choose_patient')]);
      return db.tx(async (ctx) => {
        if (actor.type === 'patient' && !(await patientScope(ctx, actor.id!, clock.now())).has(patientId)) {
          throw patientRefused('that_patient', 'patient', patientId);
        }
        if (!(await findPatientStatus(ctx, patientId))) throw notFound('that_patient');
        if (!(await findServiceById(ctx, data.serviceId))) throw notFound('that_service');
        const wanted = {
          patientId,
          serviceId: data.serviceId,
          practitionerId: data.practitionerId || null,
          from: data.from,
          to: data.to,
        };
        // The patient's row lock makes two joins at once (a double tap) take turns: one is added.
        await lockPatient(ctx, patientId);
        if (await findOverlappingWaiting(ctx, wanted))
          throw conflict('waitlist_duplicate', 'waitlist_duplicate');
        const now = clock.now();
        const row = await insertWaitlistEntry(ctx, {
          id: newId(),
          patientId,
          serviceId: wanted.serviceId,
          practitionerId: wanted.practitionerId,
          fromDate: wanted.from,
          toDate: wanted.to,
          status: 'waiting',
          lastOfferedAt: null,
          createdAt: now,
          updatedAt: now,
        });
        await recordChange(audit, ctx, actor, 'waitlist.join', row);
        return row;
      });
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await db.tx(async (ctx) => {
        if (actor.type === 'patient') {
          const entry = await findWaitlistEntry(ctx, id);
          if (!entry || !(await patientScope(ctx, actor.id!, clock.now())).has(entry.patientId)) {
            throw patientRefused('that_waitlist_entry', 'waitlist', id);
          }
        }
        const row = await updateWaitlistStatus(ctx, id, 'removed', clock.now());
        if (!row) throw notFound('that_waitlist_entry');
        await audit.record(ctx, actor, {
          action: 'waitlist.remove',
          entity: 'waitlist',
          entityId: id,
          patientId: row.patientId,
        });
      });
    },
  };
}

/** How a read of waitlist entries is audited (with their count). */
const listed = { action: 'waitlist.list', entity: 'waitlist' };

function listEntries({ db, clock, audit }: WaitlistDeps) {
  return {
    /** A patient's (and their dependants') waiting entries. */
    async listForPatient(actor: Actor & { id: string }): Promise<WaitlistEntry[]> {
      const scope = [...(await patientScope(db.reader, actor.id, clock.now()))];
      const rows = await listWaitingEntries(db.reader, scope);
      return audit.recordListRead(actor, { ...listed, patientId: actor.id }, rows);
    },

    /** Waiting entries, oldest first (staff view; audited as one read). */
    async list(actor: Actor): Promise<WaitlistEntry[]> {
      return audit.recordListRead(actor, listed, await listWaitingEntries(db.reader));
    },

    /**
     * Waiting entries with the patient's and service's names, oldest first (the staff inbox); only
     * those for `practitionerId` or anyone when given. Audited as one read.
     */
    async listWaiting(actor: Actor, filter: { practitionerId?: string } = {}) {
      const rows = await withPatientNames(
        db.reader,
        await listWaitingWithService(db.reader, filter.practitionerId),
        (r) => r.entry.patientId,
      );
      return audit.recordListRead(actor, listed, rows);
    },
  };
}

function offerFreedTime({ db, clock, clinic, slots }: WaitlistDeps) {
  return {
    /**
     * Who could take time freed on `practitionerId`'s calendar at [start, end): waiting entries
     * whose range holds that date and who want that practitioner or anyone, each with a slot that
     * live search still offers inside the freed time, oldest entries first.
     */
    async offersFor(freed: { practitionerId: string; start: Date; end: Date }): Promise<WaitlistOffer[]> {
      const { timeZone } = await clinic.get();
      const date = DateTime.fromJSDate(freed.start, { zone: timeZone }).toISODate()!;
      const waiting = await listWaitingFor(db.reader, { practitionerId: freed.practitionerId, date });
      const candidates = await withPatientContacts(
        db.reader,
        waiting.map((entry) => ({ entry })),
        (c) => c.entry.patientId,
      );
      const offers: WaitlistOffer[] = [];
      const found = new Map<string, { practitionerId: string; start: Date; end: Date } | null>();
      for (const c of candidates) {
        if (!found.has(c.entry.serviceId)) {
          const free = await slots
            .search({
              serviceId: c.entry.serviceId,
              practitionerId: freed.practitionerId,
              from: date,
              to: date,
            })
            .catch(() => []);
          found.set(
            c.entry.serviceId,
            free.find((s) => s.start >= freed.start && s.end <= freed.end) ?? null,
          );
        }
        const slot = found.get(c.entry.serviceId);
        if (slot) offers.push({ entry: c.entry, patient: c.patient, slot });
        if (offers.length >= OFFERS_PER_SLOT) break;
      }
      return offers;
    },

    /** Marks entries as offered now (so the list shows who was told). */
    async markOffered(ids: string[]): Promise<void> {
      if (!ids.length) return;
      await db.tx((ctx) => markWaitlistOffered(ctx, ids, clock.now()));
    },
  };
}
