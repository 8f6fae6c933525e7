import type { Db } from '../../db/client.ts';
import { createCache } from '../../lib/cache.ts';
import type { Clock } from '../../lib/clock.ts';
import { issuesOf, notFound, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { listActivePractitionerIds, listStaffByIds } from '../accounts/index.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { listAvailabilityRules, replaceAvailabilityRules } from './availability.repo.ts';
import {
  listPractitionerProfiles,
  listPractitionerServices,
  replacePractitionerServices,
  upsertPractitionerProfile,
} from './practitioners.repo.ts';
import {
  type PractitionerProfileInput,
  parseDayHours,
  practitionerProfileInput,
  type Weekday,
  weekdays,
} from './practitioners.schema.ts';
import { listServiceIdsIn } from './services.repo.ts';
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
  // Every calendar view and slot search lists practitioners; they change rarely. Saved here →
  // cleared here; a role change or deactivation elsewhere shows within the TTL.
  const cache = createCache<PractitionerView[]>('practitioners', { max: 1, ttlMs: 5_000, bus: db.cacheBus });

  async function load(accountIds: string[]): Promise<PractitionerView[]> {
    if (accountIds.length === 0) return [];
    const q = db.reader;
    const [accounts, profiles, links, rules] = await Promise.all([
      listStaffByIds(q, accountIds),
      listPractitionerProfiles(q, accountIds),
      listPractitionerServices(q, accountIds),
      listAvailabilityRules(q, accountIds),
    ]);
    const profileOf = new Map(profiles.map((p) => [p.accountId, p]));
    return accounts.map((account) => {
      const weekly = Object.fromEntries(weekdays.map((d) => [d, [] as WallInterval[]])) as Record<
        Weekday,
        WallInterval[]
      >;
      for (const r of rules.filter((r) => r.practitionerId === account.id)) {
        weekly[r.weekday as Weekday]?.push({ start: r.startTime, end: r.endTime });
      }
      const profile = profileOf.get(account.id);
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

  const practitionerIds = () => listActivePractitionerIds(db.reader);

  return {
    /** Active staff with the practitioner role, with or without a profile yet. */
    async list(): Promise<PractitionerView[]> {
      return cache.getOrLoad('all', async () => load(await practitionerIds()));
    },

    async get(accountId: string): Promise<PractitionerView> {
      const [view] = (await practitionerIds()).includes(accountId) ? await load([accountId]) : [];
      if (!view) throw notFound('that_practitioner');
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
        const known = data.serviceIds.length ? await listServiceIdsIn(ctx, data.serviceIds) : [];
        if (known.length !== new Set(data.serviceIds).size)
          throw validationFailed([{ path: 'serviceIds', message: 'A chosen service no longer exists.' }]);
        await upsertPractitionerProfile(ctx, accountId, {
          displayName: data.displayName,
          title: data.title,
          bio: data.bio,
          colour: data.colour,
          bookableOnline: data.bookableOnline,
          updatedAt: clock.now(),
        });
        await replacePractitionerServices(ctx, accountId, known);
        await replaceAvailabilityRules(
          ctx,
          accountId,
          weekly.map((w) => ({
            id: newId(),
            weekday: w.weekday,
            startTime: w.interval.start,
            endTime: w.interval.end,
          })),
        );
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
