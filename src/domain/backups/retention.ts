import { DateTime } from 'luxon';
import { archiveTime } from './archive-shelf.ts';
import type { RetentionCounts } from './backups.settings.ts';

/** Each rule: how an archive's time names its period (in the clinic's time zone), and how many periods keep one. */
const rules: { count: keyof RetentionCounts; period: (at: DateTime) => string }[] = [
  { count: 'daily', period: (at) => at.toFormat('yyyy-MM-dd') },
  { count: 'weekly', period: (at) => at.toFormat("kkkk-'W'WW") },
  { count: 'monthly', period: (at) => at.toFormat('yyyy-MM') },
];

/**
 * Grandfather-father-son retention over the archive names in a target: the newest archive of each
 * of the last `daily` days that have one, of the last `weekly` ISO weeks, of the last `monthly`
 * months (periods in the clinic's time zone), and always the newest of all. Returns the names to
 * delete, oldest first — only ever names Clinicbox gave (`clinicbox-<UTC time>.tar.age`); any
 * other file is left alone. Periods without a backup do not count, so a stretch of failures
 * never makes older archives expire.
 */
export function archivesToDelete(names: string[], keep: RetentionCounts, timeZone: string): string[] {
  const archives = names
    .flatMap((name) => {
      const at = archiveTime(name);
      return at ? [{ name, at: DateTime.fromJSDate(at, { zone: timeZone }) }] : [];
    })
    .sort((a, b) => b.at.toMillis() - a.at.toMillis() || (a.name < b.name ? 1 : -1));
  const kept = new Set<string>(archives.slice(0, 1).map((a) => a.name));
  for (const rule of rules) {
    const periods = new Set<string>();
    for (const a of archives) {
      if (periods.size >= keep[rule.count]) break;
      const period = rule.period(a.at);
      if (periods.has(period)) continue;
      periods.add(period);
      kept.add(a.name);
    }
  }
  return archives
    .filter((a) => !kept.has(a.name))
    .map((a) => a.name)
    .reverse();
}
