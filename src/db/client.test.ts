import fs, { mkdtempSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dataOptions } from '../config/options.ts';
import { bothDialects, createTestDb, type TestDb } from '../testing/db.ts';
import { jitter, sleep, until } from '../testing/wait.ts';
import { execute, openDatabase, queryRows } from './client.ts';
import { migrate } from './migrate.ts';

describe.each(bothDialects)('transactions on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    await migrate(db);
  });
  afterAll(() => db.destroy());
  beforeEach(() => db.tx((ctx) => execute(ctx, sql`delete from settings`)));

  const put = (key: string, value: unknown) =>
    db.tx(({ db: q, t }) => q.insert(t.settings).values({ key, value, updatedAt: new Date() }));
  const keys = async () => (await db.reader.db.select().from(db.reader.t.settings)).map((r) => r.key).sort();

  it('commits every write of a callback together', async () => {
    await db.tx(async ({ db: q, t }) => {
      await q.insert(t.settings).values({ key: 'a', value: 1, updatedAt: new Date() });
      await sleep(2); // real time between the writes: the transaction outlives a turn of the event loop
      await q.insert(t.settings).values({ key: 'b', value: { x: [1, 2] }, updatedAt: new Date() });
    });
    expect(await keys()).toEqual(['a', 'b']);
    const [b] = await db.reader.db
      .select()
      .from(db.reader.t.settings)
      .where(eq(db.reader.t.settings.key, 'b'));
    expect(b?.value).toEqual({ x: [1, 2] });
    expect(b?.updatedAt).toBeInstanceOf(Date);
  });

  it('rolls back everything when the async callback throws after awaited writes', async () => {
    await put('kept', 0);
    await expect(
      db.tx(async ({ db: q, t }) => {
        await q.insert(t.settings).values({ key: 'x1', value: 1, updatedAt: new Date() });
        await sleep(5); // real time between the writes: the transaction outlives a turn of the event loop
        await q.update(t.settings).set({ value: 99 }).where(eq(t.settings.key, 'kept'));
        await q.insert(t.settings).values({ key: 'x2', value: 2, updatedAt: new Date() });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await keys()).toEqual(['kept']);
    const rows = await db.reader.db.select().from(db.reader.t.settings);
    expect(rows[0]?.value).toBe(0);
  });

  it('rolls back when a statement fails (constraint violation)', async () => {
    await put('dup', 1);
    await expect(
      db.tx(async ({ db: q, t }) => {
        await q.insert(t.settings).values({ key: 'new', value: 1, updatedAt: new Date() });
        await q.insert(t.settings).values({ key: 'dup', value: 2, updatedAt: new Date() });
      }),
    ).rejects.toThrow();
    expect(await keys()).toEqual(['dup']);
    // The connection is usable afterwards.
    await put('after', 1);
    expect(await keys()).toEqual(['after', 'dup']);
  });

  it('a nested call joins the outer transaction and rolls back with it', async () => {
    await expect(
      db.tx(async ({ db: q, t }) => {
        await q.insert(t.settings).values({ key: 'outer', value: 1, updatedAt: new Date() });
        await db.tx(({ db: q2, t: t2 }) =>
          q2.insert(t2.settings).values({ key: 'inner', value: 1, updatedAt: new Date() }),
        );
        throw new Error('undo both');
      }),
    ).rejects.toThrow('undo both');
    expect(await keys()).toEqual([]);
  });

  it('50 concurrent transactions never see each other’s uncommitted rows', async () => {
    // Every seventh transaction writes its row, waits, then throws: a read of uncommitted rows
    // would catch one of those rows. An observer on another connection must never see one (the
    // database may commit a row a moment before its promise resolves here, so "not yet resolved"
    // is no proof of a dirty read; "never committed" is). Inside a transaction, rows of one not
    // yet committed may be seen only if it commits too (SQLite's group commit releases them in the
    // same COMMIT): nothing that commits may have seen work that did not.
    const committed = new Set<string>();
    const failed = new Set<string>();
    const dirtyReads: string[] = [];
    const seenInsideBy = new Map<string, string[]>();
    const observed = new Set<string>();
    let done = false;
    const observer = (async () => {
      let polls = 0;
      while (!done || polls === 0) {
        for (const r of await db.reader.db.select().from(db.reader.t.settings)) observed.add(r.key);
        polls++;
        await sleep(0); // lets the transactions run between two reads
      }
      return polls;
    })();
    await Promise.allSettled(
      Array.from({ length: 50 }, async (_, i) => {
        const key = `k${i}`;
        try {
          await db.tx(async (ctx) => {
            await ctx.db.insert(ctx.t.settings).values({ key, value: i, updatedAt: new Date() });
            await jitter(3);
            const seenInside = (await ctx.db.select().from(ctx.t.settings)).map((r) => r.key);
            expect(seenInside).toContain(key);
            seenInsideBy.set(key, seenInside);
            if (i % 7 === 3) throw new Error(`rolled back ${i}`);
          });
          committed.add(key);
        } catch {
          failed.add(key);
        }
      }),
    );
    done = true;
    expect(await observer).toBeGreaterThan(0);
    expect(observed.size).toBeGreaterThan(0);
    for (const k of observed) if (!committed.has(k)) dirtyReads.push(`observer saw ${k}`);
    for (const key of committed) {
      for (const k of seenInsideBy.get(key) ?? []) {
        if (!committed.has(k)) dirtyReads.push(`${key} committed having seen ${k}`);
      }
    }
    expect(dirtyReads).toEqual([]);
    expect(failed.size).toBe(7);
    expect(await keys()).toEqual([...committed].sort());
    expect(committed.size).toBe(43);
  });

  it.runIf(dialect === 'sqlite')(
    'a group that cannot commit runs its transactions again one by one: only the one at fault fails',
    async () => {
      // A deferred foreign key is checked at COMMIT, after every savepoint of the group was released.
      const orphan = (ctx: Parameters<Parameters<typeof db.tx>[0]>[0]) =>
        execute(
          ctx,
          sql`insert into staff_sessions (id, account_id, mfa_verified, created_at, last_seen_at, expires_at)
              values ('s-orphan', 'no-such-account', 0, 0, 0, 0)`,
        );
      const runs = new Map<string, number>();
      const seen = new Map<string, string[]>();
      const results = await Promise.allSettled(
        Array.from({ length: 21 }, (_, i) =>
          db.tx(async (ctx) => {
            const key = `g${i}`;
            runs.set(key, (runs.get(key) ?? 0) + 1);
            if (i === 10) {
              await execute(ctx, sql`pragma defer_foreign_keys = on`);
              await orphan(ctx);
            }
            await ctx.db.insert(ctx.t.settings).values({ key, value: i, updatedAt: new Date() });
            await jitter(1);
            seen.set(
              key,
              (await ctx.db.select().from(ctx.t.settings)).map((r) => r.key),
            );
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(
        Array.from({ length: 21 }, (_, i) => (i === 10 ? 'rejected' : 'fulfilled')),
      );
      expect(String((results[10] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
      const ok = Array.from({ length: 21 }, (_, i) => `g${i}`).filter((k) => k !== 'g10');
      expect(await keys()).toEqual([...ok].sort());
      // Those that ran in the failed group ran again, and their last run did not see g10.
      expect(Math.max(...runs.values())).toBeGreaterThan(1);
      for (const k of ok) expect(seen.get(k)).not.toContain('g10');
      const [{ n }] = (await queryRows<{ n: number }>(
        db.reader,
        sql`select count(*) as n from staff_sessions`,
      )) as [{ n: number }];
      expect(Number(n)).toBe(0);
    },
  );

  it.runIf(dialect === 'sqlite')(
    'a callback that ends the transaction itself fails alone; the others of its group commit',
    async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 9 }, (_, i) =>
          db.tx(async (ctx) => {
            await ctx.db.insert(ctx.t.settings).values({ key: `e${i}`, value: i, updatedAt: new Date() });
            if (i === 4) await execute(ctx, sql.raw('rollback'));
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect(results[4]?.status).toBe('rejected');
      expect(await keys()).toEqual(['e0', 'e1', 'e2', 'e3', 'e5', 'e6', 'e7', 'e8']);
      await put('still-usable', 1);
    },
  );

  it('50 concurrent read-modify-write transactions lose no update', async () => {
    await put('counter', 0);
    await Promise.all(
      Array.from({ length: 50 }, () =>
        db.tx(async (ctx) => {
          // SQLite serializes writers (BEGIN IMMEDIATE); PostgreSQL needs the row lock.
          const lock = ctx.dialect === 'postgres' ? sql` for update` : sql``;
          const [row] = await queryRows<{ value: unknown }>(
            ctx,
            sql`select value from settings where key = 'counter'${lock}`,
          );
          const current = Number(typeof row?.value === 'string' ? JSON.parse(row.value) : row?.value);
          await jitter(2);
          await ctx.db
            .update(ctx.t.settings)
            .set({ value: current + 1 })
            .where(eq(ctx.t.settings.key, 'counter'));
        }),
      ),
    );
    const [row] = await db.reader.db
      .select()
      .from(db.reader.t.settings)
      .where(eq(db.reader.t.settings.key, 'counter'));
    expect(row?.value).toBe(50);
  });

  it('concurrent transactions of which some throw: exactly the others commit, each whole', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        db.tx(async ({ db: q, t }) => {
          await q.insert(t.settings).values({ key: `a${i}`, value: i, updatedAt: new Date() });
          await jitter(2);
          await q.insert(t.settings).values({ key: `b${i}`, value: i, updatedAt: new Date() });
          if (i % 3 === 0) throw new Error(`fail ${i}`);
          return i;
        }),
      ),
    );
    const ok = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(ok).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 !== 0));
    expect(await keys()).toEqual(ok.flatMap((i) => [`a${i}`, `b${i}`]).sort());
  });

  it('runs afterCommit hooks once the data is visible, and never for a rolled-back transaction', async () => {
    const seen: string[] = [];
    await db.tx(async (ctx) => {
      await ctx.db.insert(ctx.t.settings).values({ key: 'hooked', value: 1, updatedAt: new Date() });
      ctx.afterCommit(() => {
        void keys().then((k) => seen.push(`visible:${k.includes('hooked')}`));
      });
      expect(seen).toEqual([]);
    });
    await db
      .tx(async (ctx) => {
        ctx.afterCommit(() => seen.push('rolled back hook ran'));
        throw new Error('no');
      })
      .catch(() => {});
    await until('the committed transaction’s hook', async () => seen.length > 0);
    expect(seen).toEqual(['visible:true']);
  });

  it.runIf(dialect === 'sqlite')('runs SQLite transactions one at a time, in order', async () => {
    const events: string[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.tx(async () => {
          events.push(`start ${i}`);
          await sleep(1); // real time inside the transaction: another one could start meanwhile, and must not
          events.push(`end ${i}`);
        }),
      ),
    );
    const expected = Array.from({ length: 20 }, (_, i) => [`start ${i}`, `end ${i}`]).flat();
    expect(events).toEqual(expected);
  });

  it.runIf(dialect === 'sqlite')(
    'syncs the WAL to disk before acknowledging each commit (synchronous=FULL, the default)',
    async () => {
      const events: string[] = [];
      const real = fs.fdatasync;
      // Node's named exports of node:fs follow the module object once re-synced: wal-sync.ts sees the spy.
      const spy = vi.spyOn(fs, 'fdatasync').mockImplementation(((
        fd: number,
        done: (e: Error | null) => void,
      ) =>
        real(fd, (e) => {
          events.push('synced');
          done(e);
        })) as typeof fs.fdatasync);
      syncBuiltinESMExports();
      const dir = mkdtempSync(join(tmpdir(), 'clinicbox-sync-'));
      const opened = await openDatabase({
        url: dataOptions.databaseUrl.default,
        sqlite: { path: join(dir, 'clinicbox.db'), synchronous: dataOptions.sqliteSynchronous.default },
      });
      try {
        await opened.tx((ctx) => execute(ctx, sql`create table t (n integer)`));
        events.push('acknowledged');
        await opened.tx((ctx) => execute(ctx, sql`insert into t values (1)`));
        events.push('acknowledged');
        expect(events).toEqual(['synced', 'acknowledged', 'synced', 'acknowledged']);
      } finally {
        spy.mockRestore();
        syncBuiltinESMExports();
        await opened.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it.runIf(dialect === 'sqlite')(
    'uses WAL, foreign keys, a busy timeout and the chosen synchronous level',
    async () => {
      const one = async (pragma: string) =>
        Object.values((await queryRows(db.reader, sql.raw(`pragma ${pragma}`)))[0] ?? {})[0];
      await expect(one('journal_mode')).resolves.toBe('wal');
      await db.tx(async (ctx) => {
        const read = async (p: string) =>
          Object.values((await queryRows(ctx, sql.raw(`pragma ${p}`)))[0] ?? {})[0];
        expect(await read('foreign_keys')).toBe(1);
        expect(await read('busy_timeout')).toBeGreaterThanOrEqual(5000);
        expect(await read('synchronous')).toBe(1); // NORMAL in tests; FULL (2) is the product default
      });
      await execute(db.reader, sql`select 1`);
    },
  );
});
