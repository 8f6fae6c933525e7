import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { createCache } from '../../lib/cache.ts';
import type { Clock } from '../../lib/clock.ts';
import { issuesOf, notFound, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import {
  type PractitionerProfileInput,
  parseDayHours,
  practitionerProfileInput,
  type Weekday,
  weekdays,
} from './practitioners.schema.ts';
import type { WallInterval } from './slots.ts';

export interface PractitionerView {
  accountId: string;
  email: string;
  name: string;
  profile: {
    displayName: string;
    title: string;
    bio: string;
    colour: string;
    bookableOnline: boolean;
  } | null;
  serviceIds: string[];
  weekly: Record<Weekday, WallInterval[]>;
}

/**
 * Practitioners: staff with the practitioner role, plus the profile patients see, the services
 * they offer and their weekly hours. Saving replaces all three together, in one transaction.
 */
export function practitionersService(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  const t = db.reader.t;
  // Every calendar view and slot search lists practitioners; they change rarely. Saved here →
  // cleared here; a role change or deactivation elsewhere shows within the TTL.
  const cache = createCache<PractitionerView[]>('practitioners', { max: 1, ttlMs: 5_000 });

  async function load(accountIds: string[]): Promise<PractitionerView[]> {
    if (accountIds.length === 0) return [];
    const q = db.reader.db;
    const [rows, links, rules] = await Promise.all([
      q
        .select({ account: t.staffAccounts, profile: t.practitionerProfiles })
        .from(t.staffAccounts)
        .leftJoin(t.practitionerProfiles, eq(t.practitionerProfiles.accountId, t.staffAccounts.id))
        .where(inArray(t.staffAccounts.id, accountIds))
        .orderBy(asc(t.staffAccounts.name)),
      q
        .select()
        .from(t.practitionerServices)
        .where(inArray(t.practitionerServices.practitionerId, accountIds)),
      q
        .select()
        .from(t.availabilityRules)
        .where(inArray(t.availabilityRules.practitionerId, accountIds))
        .orderBy(asc(t.availabilityRules.startTime)),
    ]);
    return rows.map(({ account, profile }) => {
      const weekly = Object.fromEntries(weekdays.map((d) => [d, [] as WallInterval[]])) as Record<
        Weekday,
        WallInterval[]
      >;
      for (const r of rules.filter((r) => r.practitionerId === account.id)) {
        weekly[r.weekday as Weekday]?.push({ start: r.startTime, end: r.endTime });
      }
      return {
        accountId: account.id,
        email: account.email,
        name: account.name,
        profile: profile
          ? {
              displayName: profile.displayName,
              title: profile.title,
              bio: profile.bio,
              colour: profile.colour,
              bookableOnline: profile.bookableOnline,
            }
          : null,
        serviceIds: links.filter((l) => l.practitionerId === account.id).map((l) => l.serviceId),
        weekly,
      };
    });
  }

  const practitionerIds = async () =>
    (
      await db.reader.db
        .select({ id: t.staffAccounts.id })
        .from(t.staffAccounts)
        .where(and(eq(t.staffAccounts.role, 'practitioner'), eq(t.staffAccounts.status, 'active')))
    ).map((r) => r.id);

  return {
    /** Active staff with the practitioner role, with or without a profile yet. */
    async list(): Promise<PractitionerView[]> {
      return cache.getOrLoad('all', async () => load(await practitionerIds()));
    },

    async get(accountId: string): Promise<PractitionerView> {
      const [view] = (await practitionerIds()).includes(accountId) ? await load([accountId]) : [];
      if (!view) throw notFound('That practitioner');
      return view;
    },

    /** What patients see: practitioners with a profile marked bookable online. */
    async listBookable(): Promise<PractitionerView[]> {
      return (await this.list()).filter((p) => p.profile?.bookableOnline);
    },

    async save(actor: Actor, accountId: string, input: PractitionerProfileInput): Promise<void> {
      await this.get(accountId);
      const parsed = practitionerProfileInput.safeParse(input);
      const issues = parsed.success ? [] : issuesOf(parsed.error);
      const weekly: { weekday: Weekday; interval: WallInterval }[] = [];
      for (const day of weekdays) {
        const result = parseDayHours(parsed.success ? (parsed.data.hours[String(day)] ?? '') : '');
        if (typeof result === 'string') issues.push({ path: `hours.${day}`, message: result });
        else for (const interval of result) weekly.push({ weekday: day, interval });
      }
      if (!parsed.success || issues.length) throw validationFailed(issues);
      const data = parsed.data;
      await db.tx(async (ctx) => {
        const known = data.serviceIds.length
          ? await ctx.db
              .select({ id: ctx.t.services.id })
              .from(ctx.t.services)
              .where(inArray(ctx.t.services.id, data.serviceIds))
          : [];
        if (known.length !== new Set(data.serviceIds).size)
          throw validationFailed([{ path: 'serviceIds', message: 'A chosen service no longer exists.' }]);
        const profile = {
          displayName: data.displayName,
          title: data.title,
          bio: data.bio,
          colour: data.colour,
          bookableOnline: data.bookableOnline,
          updatedAt: clock.now(),
        };
        await ctx.db
          .insert(ctx.t.practitionerProfiles)
          .values({ accountId, ...profile })
          .onConflictDoUpdate({ target: ctx.t.practitionerProfiles.accountId, set: profile });
        await ctx.db
          .delete(ctx.t.practitionerServices)
          .where(eq(ctx.t.practitionerServices.practitionerId, accountId));
        if (known.length) {
          await ctx.db
            .insert(ctx.t.practitionerServices)
            .values(known.map((s) => ({ practitionerId: accountId, serviceId: s.id })));
        }
        await ctx.db
          .delete(ctx.t.availabilityRules)
          .where(eq(ctx.t.availabilityRules.practitionerId, accountId));
        if (weekly.length) {
          await ctx.db.insert(ctx.t.availabilityRules).values(
            weekly.map((w) => ({
              id: newId(),
              practitionerId: accountId,
              weekday: w.weekday,
              startTime: w.interval.start,
              endTime: w.interval.end,
            })),
          );
        }
        ctx.afterCommit(() => cache.clear());
        await audit.record(ctx, actor, {
          action: 'practitioner.update',
          entity: 'practitioner',
          entityId: accountId,
        });
      });
    },
  };
}

export type PractitionersService = ReturnType<typeof practitionersService>;
