import { describe, expect, it } from 'vitest';
import { archivesToDelete } from './retention.ts';

/** An archive name as Clinicbox gives it, from an ISO time. */
const name = (iso: string) =>
  `clinicbox-${new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.tar.age`;

/** Nightly archives at 02:30 UTC from `from` for `days` days. */
const nightly = (from: string, days: number) =>
  Array.from({ length: days }, (_, i) =>
    name(new Date(new Date(from).getTime() + i * 86_400_000).toISOString()),
  );

const keep = { daily: 7, weekly: 4, monthly: 12 };

describe('grandfather-father-son retention', () => {
  const cases: {
    title: string;
    names: string[];
    keep?: typeof keep;
    timeZone?: string;
    kept: string[];
  }[] = [
    { title: 'nothing to do', names: [], kept: [] },
    {
      title: 'fewer archives than the dailies: all kept',
      names: nightly('2026-03-01T02:30:00Z', 5),
      kept: nightly('2026-03-01T02:30:00Z', 5),
    },
    {
      title: 'two a day: the newest of each day',
      names: [name('2026-03-02T02:30:00Z'), name('2026-03-02T14:00:00Z'), name('2026-03-03T02:30:00Z')],
      keep: { daily: 7, weekly: 0, monthly: 0 },
      kept: [name('2026-03-02T14:00:00Z'), name('2026-03-03T02:30:00Z')],
    },
    {
      // 2026-01-01 (Thu) … 2026-03-31 (Tue): 90 nightlies.
      title: '90 nightlies: 7 days, the last of 4 ISO weeks, the last of 3 months',
      names: nightly('2026-01-01T02:30:00Z', 90),
      kept: [
        // months: January's and February's last; March's is the newest.
        name('2026-01-31T02:30:00Z'),
        name('2026-02-28T02:30:00Z'),
        // 4 ISO weeks (Sunday ends each): W14 (this one, Mar 31), W13 (Mar 29, a daily), W12, W11.
        name('2026-03-15T02:30:00Z'),
        name('2026-03-22T02:30:00Z'),
        // The 7 dailies.
        ...nightly('2026-03-25T02:30:00Z', 7),
      ],
    },
    {
      title: 'a gap in the backups: the periods without one do not count',
      names: [...nightly('2026-01-01T02:30:00Z', 3), ...nightly('2026-03-01T02:30:00Z', 3)],
      keep: { daily: 4, weekly: 0, monthly: 0 },
      kept: [name('2026-01-03T02:30:00Z'), ...nightly('2026-03-01T02:30:00Z', 3)],
    },
    {
      title: 'days are the clinic’s: 23:30 and 00:30 in Paris are two days, one in UTC',
      names: [name('2026-03-02T22:30:00Z'), name('2026-03-02T23:30:00Z')],
      keep: { daily: 1, weekly: 0, monthly: 0 },
      timeZone: 'Europe/Paris',
      kept: [name('2026-03-02T23:30:00Z')],
    },
    {
      title: 'every count 0: the newest is still kept',
      names: nightly('2026-03-01T02:30:00Z', 3),
      keep: { daily: 0, weekly: 0, monthly: 0 },
      kept: [name('2026-03-03T02:30:00Z')],
    },
    {
      title: 'names Clinicbox did not give are never deleted (nor counted)',
      names: [
        ...nightly('2026-03-01T02:30:00Z', 3),
        'clinicbox-manual-copy.tar.age',
        'notes.txt',
        '.clinicbox-20260301T023000Z.tar.age.partial-12-ab',
        'clinicbox-20260301T023000Z.tar.age.bak',
      ],
      keep: { daily: 1, weekly: 0, monthly: 0 },
      kept: [name('2026-03-03T02:30:00Z')],
    },
  ];

  for (const c of cases) {
    it(c.title, () => {
      const deleted = archivesToDelete(c.names, c.keep ?? keep, c.timeZone ?? 'UTC');
      const archives = c.names.filter((n) => /^clinicbox-\d{8}T\d{6}Z\.tar\.age$/.test(n));
      expect(archives.filter((n) => !deleted.includes(n)).sort()).toEqual([...c.kept].sort());
      for (const d of deleted) expect(archives).toContain(d);
    });
  }

  it('deletes oldest first', () => {
    const deleted = archivesToDelete(
      nightly('2026-01-01T02:30:00Z', 20),
      { daily: 2, weekly: 0, monthly: 0 },
      'UTC',
    );
    expect(deleted).toEqual([...deleted].sort());
    expect(deleted).toHaveLength(18);
  });
});
