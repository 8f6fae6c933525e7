import { and, asc, eq, like, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { quietHoursColumn } from '../notifications/index.ts';
import { ownProfileInput, patientInput, searchNameOf } from './patients.schema.ts';

export type Patient = typeof import('../../db/schema/sqlite.ts').patients.$inferSelect;

/**
 * Patient records for staff: create, find as you type, open. Every read of a record is audited;
 * a search is audited once with the number of matches, never the query text (it may be a name).
 */
export function patientsService(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  const { patients } = db.reader.t;
  /** Active patients matching a search as typed, or null when it is too short to search. */
  const matching = (query: string) => {
    const q = searchNameOf(query, '').replace(/[%_\\]/g, '');
    if (q.length < 2) return null;
    return and(
      eq(patients.status, 'active'),
      or(
        like(patients.searchName, `${q}%`),
        like(patients.searchName, `% ${q}%`),
        eq(patients.email, query.trim().toLowerCase()),
        eq(patients.phone, query.trim()),
      ),
    );
  };

  return {
    async create(actor: Actor, input: unknown): Promise<Patient> {
      const parsed = validated(patientInput, input);
      const data = parsed;
      return db.tx(async (ctx) => {
        const now = clock.now();
        const [row] = await ctx.db
          .insert(ctx.t.patients)
          .values({
            id: newId(),
            ...data,
            email: data.email?.toLowerCase() ?? null,
            searchName: searchNameOf(data.firstName, data.lastName),
            status: 'active',
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await audit.record(ctx, actor, {
          action: 'patient.create',
          entity: 'patient',
          entityId: row!.id,
          patientId: row!.id,
        });
        return row!;
      });
    },

    /**
     * A patient changes their own details: language any time; email and phone (where messages go)
     * only within 15 minutes of signing in, so a borrowed unlocked phone cannot redirect messages.
     */
    async updateOwn(
      actor: Actor & { id: string },
      input: unknown,
      session: { createdAt: Date },
    ): Promise<Patient> {
      const { notifications, ...data } = validated(ownProfileInput, input);
      // The notifications object and the older consent fields write the same columns.
      const set = {
        ...data,
        ...(notifications?.email !== undefined ? { messagesByEmail: notifications.email } : {}),
        ...(notifications?.sms !== undefined ? { messagesBySms: notifications.sms } : {}),
        ...(notifications?.push !== undefined ? { messagesByPush: notifications.push } : {}),
        ...(notifications?.quietHours !== undefined
          ? { quietHours: quietHoursColumn(notifications.quietHours) }
          : {}),
      };
      const changesChannel = data.phone !== undefined || data.email !== undefined;
      if (changesChannel && clock.now().getTime() - session.createdAt.getTime() > 15 * 60_000) {
        throw new AppError('fresh_sign_in_required', 'Sign in again to change your email or phone number.', {
          status: 403,
        });
      }
      return db.tx(async (ctx) => {
        const [row] = await ctx.db
          .update(ctx.t.patients)
          .set({ ...set, updatedAt: clock.now() })
          .where(eq(ctx.t.patients.id, actor.id))
          .returning();
        if (!row) throw notFound('That patient');
        await audit.record(ctx, actor, {
          action: 'patient.update',
          entity: 'patient',
          entityId: actor.id,
          patientId: actor.id,
          details: { fields: Object.keys(set).join(',') },
        });
        return row;
      });
    },

    async get(actor: Actor, id: string): Promise<Patient> {
      const [row] = await db.reader.db.select().from(patients).where(eq(patients.id, id));
      if (!row) throw notFound('That patient');
      await audit.recordRead(actor, {
        action: 'patient.read',
        entity: 'patient',
        entityId: id,
        patientId: id,
      });
      return row;
    },

    /** Active patients whose name starts with (or has a word starting with) `query`, or whose email or phone matches. */
    async search(actor: Actor, query: string, limit = 10): Promise<Patient[]> {
      const where = matching(query);
      if (!where) return [];
      const rows = await db.reader.db
        .select()
        .from(patients)
        .where(where)
        .orderBy(asc(patients.lastName), asc(patients.firstName))
        .limit(limit);
      await audit.recordRead(actor, {
        action: 'patient.search',
        entity: 'patient',
        details: { matches: rows.length },
      });
      return rows;
    },

    /**
     * The staff patient list, a page at a time: every active patient by name, or those matching
     * `query` as in `search`. Audited as one read (the page and count, never the query text).
     */
    async browse(
      actor: Actor,
      options: { query?: string; page?: number; pageSize?: number },
    ): Promise<{ rows: Patient[]; page: number; hasMore: boolean }> {
      const pageSize = Math.min(Math.max(options.pageSize ?? 25, 1), 100);
      const page = Math.max(Math.floor(options.page ?? 1), 1);
      const query = options.query?.trim() ?? '';
      const where = query ? matching(query) : eq(patients.status, 'active');
      const rows = where
        ? await db.reader.db
            .select()
            .from(patients)
            .where(where)
            .orderBy(asc(patients.lastName), asc(patients.firstName), asc(patients.id))
            .limit(pageSize + 1)
            .offset((page - 1) * pageSize)
        : [];
      await audit.recordRead(actor, {
        action: query ? 'patient.search' : 'patient.list',
        entity: 'patient',
        details: { matches: Math.min(rows.length, pageSize), page },
      });
      return { rows: rows.slice(0, pageSize), page, hasMore: rows.length > pageSize };
    },
  };
}

export type PatientsService = ReturnType<typeof patientsService>;
