import type { Db, DbCtx } from '../../db/client.ts';
import { createCache } from '../../lib/cache.ts';
import type { Clock } from '../../lib/clock.ts';
import { validated } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { findSettingValue, upsertSetting } from './clinic.repo.ts';
import { type ClinicSettings, clinicSettingsSchema, defaultClinicSettings } from './clinic.schema.ts';

const KEY = 'clinic';

/**
 * Clinic settings: read often (every slot search, every page), changed rarely — cached for a
 * minute per instance and invalidated here on every change.
 */
export function clinicService(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  const cache = createCache<ClinicSettings>('clinic-settings', { max: 1, ttlMs: 60_000, bus: db.cacheBus });

  return {
    /** Inside a transaction pass its `ctx`: on a one-connection database a read beside it would wait for it. */
    get(ctx?: DbCtx): Promise<ClinicSettings> {
      return cache.getOrLoad(KEY, async () => {
        const value = await findSettingValue(ctx ?? db.reader, KEY);
        const parsed = clinicSettingsSchema.safeParse({ ...defaultClinicSettings, ...(value as object) });
        return parsed.success ? parsed.data : defaultClinicSettings;
      });
    },

    /** Validates the whole form; nothing is saved unless every field is valid. */
    async update(actor: Actor, input: Record<string, unknown>): Promise<ClinicSettings> {
      const parsed = validated(clinicSettingsSchema, input);
      await db.tx(async (ctx) => {
        await upsertSetting(ctx, KEY, parsed, clock.now());
        await audit.record(ctx, actor, {
          action: 'clinic.update-settings',
          entity: 'settings',
          entityId: KEY,
        });
        ctx.afterCommit(() => cache.clear());
      });
      cache.clear();
      return parsed;
    },
  };
}

export type ClinicService = ReturnType<typeof clinicService>;
