import type { Context } from 'hono';
import type { StaffNavProps } from '../../../views/layouts/staff.tsx';
import { can } from '../../domain/accounts/index.ts';
import type { NavEntry } from '../routes.ts';
import type { AppEnv } from '../types.ts';

/**
 * The staff app shell for the signed-in member: the sections of the route modules' navigation
 * entries their role may open (each with the permission its page's route declares, so a member is
 * never shown a link that answers 403), and their own account.
 */
export function staffNav(entries: readonly NavEntry[]) {
  return (c: Context<AppEnv>): StaffNavProps => {
    const { account } = c.get('staff')!;
    return {
      name: account.name,
      role: account.role,
      csrf: c.get('csrf'),
      current: c.req.path,
      backupWarning: c.get('backupWarning'),
      sections: entries
        .filter((e) => e.needs === null || can(account.role, e.needs))
        .map(({ href, label }) => ({ href, label })),
    };
  };
}
