import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSnapshot } from './snapshot.ts';

describe('SQLite snapshots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clinicbox-snapshot-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A database of ~60 MB: big enough that VACUUM INTO takes a while. */
  const live = join(dir, 'live.db');
  const raw = new Database(live);
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('create table notes (id integer primary key, body text)');
  const insert = raw.prepare('insert into notes (body) values (?)');
  raw.transaction(() => {
    for (let i = 0; i < 250_000; i++) insert.run(`note ${i} ${'x'.repeat(200)}`);
  })();
  raw.close();

  /** The longest the event loop went without a turn while `work` ran. */
  async function longestStall(work: () => Promise<unknown>): Promise<number> {
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    try {
      await work();
      longest = Math.max(longest, performance.now() - last);
    } finally {
      clearInterval(timer);
    }
    return longest;
  }

  it('copies the database on a thread of its own: the event loop keeps turning meanwhile', async () => {
    // The same copy made on this thread, for scale: the event loop stands still for all of it.
    const blocked = await longestStall(async () => {
      const db = new Database(live);
      db.exec(`VACUUM INTO '${join(dir, 'inline.db')}'`);
      db.close();
    });
    const temp = join(dir, 'snapshot.db');
    let snapshot: Awaited<ReturnType<typeof openSnapshot>> | undefined;
    const stalled = await longestStall(async () => {
      snapshot = await openSnapshot({ url: '', sqlitePath: live, tempPath: temp });
    });
    try {
      expect(await snapshot!.rowCount('notes')).toBe(250_000);
    } finally {
      await snapshot?.close();
    }
    expect(blocked).toBeGreaterThan(60);
    expect(stalled).toBeLessThan(blocked / 3);
  });

  it('fails with the database error when the copy cannot be made', async () => {
    await expect(
      openSnapshot({ url: '', sqlitePath: live, tempPath: join(dir, 'no-such-folder', 'snapshot.db') }),
    ).rejects.toThrow(/unable to open|cannot open/i);
  });
});
