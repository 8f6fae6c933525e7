import { and, asc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound, validated, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import { patientScope } from '../patients/index.ts';
import type { SlotSearch } from './slot-search.ts';

export type WaitlistEntry = typeof import('../../db/schema/sqlite.ts').waitlistEntries.$inferSelect;

export const waitlistInput = z
  .strictObject({
    /** Staff name the patient; a patient may leave it out (themselves) or name a dependant. */
    patientId: z.string().min(1, 'Choose a patient.').max(64).optional(),
    serviceId: z.string().min(1, 'Choose a service.').max(64),
    practitionerId: z.string().max(64).optional(),
    from: z.iso.date({ error: 'from: a date as YYYY-MM-DD.' }),
    to: z.iso.date({ error: 'to: a date as YYYY-MM-DD.' }),
  })
  .refine((w) => w.from <= w.to, { message: 'to must not be before from.', path: ['to'] });
export type WaitlistInput = z.input<typeof waitlistInput>;

/** How many waiting patients one freed time is offered to at once (the first to book wins). */
export const OFFERS_PER_SLOT = 5;

export interface WaitlistOffer {
  entry: WaitlistEntry;
  patient: { firstName: string; email: string | null; messagesByEmail: boolean };
  slot: { practitionerId: string; start: Date; end: Date };
}

/**
 * The waitlist. Staff add a patient for a service, a practitioner or anyone, and a date range.
 * When an appointment is cancelled or moved, a job asks `offersFor` which waiting patients could
 * take the freed time — re-checked against live slot search, so a time already re-booked is never
 * offered — and emails them; the booking rules make the first to book the only one.
 */
export function waitlistService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  clinic: ClinicService;
  slots: SlotSearch;
}) {
  const { db, clock, audit, clinic, slots } = deps;
  const t = db.reader.t;

  return {
    async join(actor: Actor, input: WaitlistInput): Promise<WaitlistEntry> {
      const parsed = validated(waitlistInput, input);
      const data = parsed;
      const patientId = data.patientId ?? (actor.type === 'patient' ? actor.id : null);
      if (!patientId) throw validationFailed([{ path: 'patientId', message: 'Choose a patient.' }]);
      return db.tx(async (ctx) => {
        const [patient] = await ctx.db
          .select({ id: ctx.t.patients.id })
          .from(ctx.t.patients)
          .where(eq(ctx.t.patients.id, patientId));
        if (!patient) throw notFound('That patient');
        if (actor.type === 'patient' && !(await patientScope(ctx, actor.id!)).has(patientId)) {
          throw notFound('That patient');
        }
        const [service] = await ctx.db
          .select({ id: ctx.t.services.id })
          .from(ctx.t.services)
          .where(eq(ctx.t.services.id, data.serviceId));
        if (!service) throw notFound('That service');
        const now = clock.now();
        const [row] = await ctx.db
          .insert(ctx.t.waitlistEntries)
          .values({
            id: newId(),
            patientId,
            serviceId: data.serviceId,
            practitionerId: data.practitionerId || null,
            fromDate: data.from,
            toDate: data.to,
            status: 'waiting',
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await audit.record(ctx, actor, {
          action: 'waitlist.join',
          entity: 'waitlist',
          entityId: row!.id,
          patientId,
        });
        return row!;
      });
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await db.tx(async (ctx) => {
        if (actor.type === 'patient') {
          const [entry] = await ctx.db
            .select()
            .from(ctx.t.waitlistEntries)
            .where(eq(ctx.t.waitlistEntries.id, id));
          if (!entry || !(await patientScope(ctx, actor.id!)).has(entry.patientId)) {
            throw notFound('That waitlist entry');
          }
        }
        const [row] = await ctx.db
          .update(ctx.t.waitlistEntries)
          .set({ status: 'removed', updatedAt: clock.now() })
          .where(eq(ctx.t.waitlistEntries.id, id))
          .returning();
        if (!row) throw notFound('That waitlist entry');
        await audit.record(ctx, actor, {
          action: 'waitlist.remove',
          entity: 'waitlist',
          entityId: id,
          patientId: row.patientId,
        });
      });
    },

    /** A patient's (and their dependants') waiting entries. */
    async listForPatient(actor: Actor & { id: string }): Promise<WaitlistEntry[]> {
      const scope = [...(await patientScope(db.reader, actor.id))];
      const rows = await db.reader.db
        .select()
        .from(t.waitlistEntries)
        .where(and(eq(t.waitlistEntries.status, 'waiting'), inArray(t.waitlistEntries.patientId, scope)))
        .orderBy(asc(t.waitlistEntries.createdAt));
      await audit.recordRead(actor, {
        action: 'waitlist.list',
        entity: 'waitlist',
        patientId: actor.id,
        details: { count: rows.length },
      });
      return rows;
    },

    /** Waiting entries, oldest first (staff view; audited as one read). */
    async list(actor: Actor): Promise<WaitlistEntry[]> {
      const rows = await db.reader.db
        .select()
        .from(t.waitlistEntries)
        .where(eq(t.waitlistEntries.status, 'waiting'))
        .orderBy(asc(t.waitlistEntries.createdAt));
      await audit.recordRead(actor, {
        action: 'waitlist.list',
        entity: 'waitlist',
        details: { count: rows.length },
      });
      return rows;
    },

    /**
     * Waiting entries with the patient's and service's names, oldest first (the staff inbox); only
     * those for `practitionerId` or anyone when given. Audited as one read.
     */
    async listWaiting(actor: Actor, filter: { practitionerId?: string } = {}) {
      const w = t.waitlistEntries;
      const rows = await db.reader.db
        .select({
          entry: w,
          patient: { firstName: t.patients.firstName, lastName: t.patients.lastName },
          service: { name: t.services.name },
        })
        .from(w)
        .innerJoin(t.patients, eq(t.patients.id, w.patientId))
        .innerJoin(t.services, eq(t.services.id, w.serviceId))
        .where(
          and(
            eq(w.status, 'waiting'),
            filter.practitionerId
              ? or(isNull(w.practitionerId), eq(w.practitionerId, filter.practitionerId))
              : undefined,
          ),
        )
        .orderBy(asc(w.createdAt))
        .limit(200);
      await audit.recordRead(actor, {
        action: 'waitlist.list',
        entity: 'waitlist',
        details: { count: rows.length },
      });
      return rows;
    },

    /**
     * Who could take time freed on `practitionerId`'s calendar at [start, end): waiting entries
     * whose range holds that date and who want that practitioner or anyone, each with a slot that
     * live search still offers inside the freed time, oldest entries first.
     */
    async offersFor(freed: { practitionerId: string; start: Date; end: Date }): Promise<WaitlistOffer[]> {
      const { timeZone } = await clinic.get();
      const date = DateTime.fromJSDate(freed.start, { zone: timeZone }).toISODate()!;
      const w = t.waitlistEntries;
      const candidates = await db.reader.db
        .select({
          entry: w,
          patient: {
            firstName: t.patients.firstName,
            email: t.patients.email,
            messagesByEmail: t.patients.messagesByEmail,
          },
        })
        .from(w)
        .innerJoin(t.patients, eq(t.patients.id, w.patientId))
        .innerJoin(
          t.practitionerServices,
          and(
            eq(t.practitionerServices.serviceId, w.serviceId),
            eq(t.practitionerServices.practitionerId, freed.practitionerId),
          ),
        )
        .where(
          and(
            eq(w.status, 'waiting'),
            lte(w.fromDate, date),
            gte(w.toDate, date),
            or(isNull(w.practitionerId), eq(w.practitionerId, freed.practitionerId)),
          ),
        )
        .orderBy(asc(w.createdAt))
        .limit(50);
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
      await db.tx(async (ctx) => {
        await ctx.db
          .update(ctx.t.waitlistEntries)
          .set({ lastOfferedAt: clock.now(), updatedAt: clock.now() })
          .where(inArray(ctx.t.waitlistEntries.id, ids));
      });
    },
  };
}

export type WaitlistService = ReturnType<typeof waitlistService>;
