import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execute } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { fixedClock } from '../lib/clock.ts';
import { bothDialects, createTestDb, type TestDb } from '../testing/db.ts';
import { instanceIds } from './instance.ts';

describe.each(bothDialects)('instance ids on %s', (dialect) => {
  let db: TestDb;
  const clock = fixedClock('2026-03-02T09:00:00Z');
  beforeAll(async () => {
    db = await createTestDb(dialect);
    await migrate(db);
  });
  afterAll(() => db.destroy());
  beforeEach(() => db.tx((ctx) => execute(ctx, sql`delete from settings`)));

  /** Another process: its own host name and pid, alive or not. */
  const holder = (who: { host?: string; pid: number; alive: boolean }) =>
    instanceIds({ db, clock, host: who.host ?? 'here', alive: (pid) => pid === who.pid && who.alive });
  const asProcess = async (who: { host?: string; pid: number }, id: string) => {
    await db.tx(({ db: q, t }) =>
      q.insert(t.settings).values({
        key: `jobs.instance:${id}`,
        value: { host: who.host ?? 'here', pid: who.pid, token: 'theirs' },
        updatedAt: clock.now(),
      }),
    );
  };

  it('a live process on this host keeps its id: the newcomer takes the next free one', async () => {
    await asProcess({ pid: 4242 }, 'host-worker');
    await asProcess({ pid: 4243 }, 'host-worker-2');
    const ids = holder({ pid: 4242, alive: true });
    const alive = instanceIds({ db, clock, host: 'here', alive: () => true });
    expect((await alive.acquire('host-worker')).id).toBe('host-worker-3');
    expect((await ids.acquire('other')).id).toBe('other');
  });

  it('a killed process’s id is taken back at once on the same host', async () => {
    await asProcess({ pid: 4242 }, 'host-worker');
    const held = await holder({ pid: 4242, alive: false }).acquire('host-worker');
    expect(held.id).toBe('host-worker');
    expect(await held.beat()).toBe(true);
  });

  it('another host’s id is free only once its heartbeat is stale', async () => {
    await asProcess({ host: 'there', pid: 1 }, 'w');
    const ids = instanceIds({ db, clock, host: 'here', alive: () => false, staleMs: 60_000 });
    const first = await ids.acquire('w');
    expect(first.id).toBe('w-2');
    await first.release();
    clock.advance(60_001);
    expect((await ids.acquire('w')).id).toBe('w');
  });

  it('an earlier process that had this pid (a container restart) does not hold the id', async () => {
    await asProcess({ pid: process.pid }, 'pid-one');
    expect((await holder({ pid: 0, alive: false }).acquire('pid-one')).id).toBe('pid-one');
  });

  it('two workers of one process get two ids; release frees it; a lost id is noticed', async () => {
    const ids = instanceIds({ db, clock });
    const a = await ids.acquire('same');
    const b = await ids.acquire('same');
    expect([a.id, b.id]).toEqual(['same', 'same-2']);
    await a.release();
    const c = await ids.acquire('same');
    expect(c.id).toBe('same');
    await db.tx(({ db: q, t }) => q.update(t.settings).set({ value: { host: 'x', pid: 1, token: 'thief' } }));
    expect(await c.beat()).toBe(false);
    await c.release(); // not ours any more: left alone
    expect(await db.reader.db.select().from(db.reader.t.settings)).toHaveLength(2);
    await b.release();
  });

  it('an id held on one database does not hold it on another (on PostgreSQL: another schema)', async () => {
    const other = await createTestDb(dialect);
    try {
      await migrate(other);
      const here = await instanceIds({ db, clock }).acquire('apart');
      const there = await instanceIds({ db: other, clock }).acquire('apart');
      expect([here.id, there.id]).toEqual(['apart', 'apart']);
      await Promise.all([here.release(), there.release()]);
    } finally {
      await other.destroy();
    }
  });
});
