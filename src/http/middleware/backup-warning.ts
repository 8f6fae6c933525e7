import type { MiddlewareHandler } from 'hono';
import { Duration } from 'luxon';
import { can } from '../../domain/accounts/index.ts';
import type { BackupsService } from '../../domain/backups/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { AppEnv } from '../types.ts';

/**
 * For a signed-in admin, the warning every staff page shows when no backup has succeeded for 48
 * hours (or ever): set as `backupWarning` for the layout. The backups service caches when the
 * last one succeeded (a minute per instance), so a page costs no query.
 */
export function backupWarning(
  backups: Pick<BackupsService, 'staleness'>,
  clock: Clock,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const staff = c.get('staff');
    if (staff && can(staff.account.role, 'staff.manage')) {
      const { stale, lastSuccessAt } = await backups.staleness();
      if (stale) c.set('backupWarning', warningText(lastSuccessAt, clock.now().getTime()));
    }
    await next();
  };
}

const warningText = (last: Date | null, now: number) => {
  if (!last) return 'No backup has been made yet.';
  const days = Math.floor(Duration.fromMillis(now - last.getTime()).as('days'));
  return `The last successful backup was ${days} day${days === 1 ? '' : 's'} ago.`;
};
