import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { bothDialects, type TestDb } from '../testing/db.ts';
import { suiteDb } from '../testing/lifecycle.ts';
import { execute } from './client.ts';
import { param, preparedQuery } from './prepared.ts';

describe.each(bothDialects)('preparedQuery on %s', (dialect) => {
  const suite = suiteDb(dialect);
  let db: TestDb;
  beforeEach(async () => {
    db = suite();
    await db.tx((ctx) => execute(ctx, sql`delete from settings`));
  });

  const at = (day: number) => new Date(Date.UTC(2026, 0, day));
  const put = (key: string, value: unknown, updatedAt: Date) =>
    db.tx(({ db: q, t }) => q.insert(t.settings).values({ key, value, updatedAt }));

  // A date compared through its column (stored as a number on SQLite, a timestamp on PostgreSQL).
  const updatedSince = preparedQuery((ctx) => {
    const s = ctx.t.settings;
    return ctx.db
      .select({ key: s.key, value: s.value, updatedAt: s.updatedAt })
      .from(s)
      .where(gt(s.updatedAt, param('since', s.updatedAt)))
      .orderBy(asc(s.key));
  });
  const insertSetting = preparedQuery<{ key: string; value: unknown; updatedAt: Date }, unknown>((ctx) =>
    ctx.db
      .insert(ctx.t.settings)
      .values({ key: param('key'), value: param('value'), updatedAt: param('updatedAt') } as never),
  );

  it('answers as the unprepared query does, for each new value', async () => {
    await put('a', { n: 1 }, at(1));
    await put('b', [2], at(3));
    expect(await updatedSince(db.reader, { since: at(2) })).toEqual([
      { key: 'b', value: [2], updatedAt: at(3) },
    ]);
    expect((await updatedSince(db.reader, { since: at(0) })).map((r) => r.key)).toEqual(['a', 'b']);
    expect(await updatedSince(db.reader, { since: at(4) })).toEqual([]);
  });

  it('writes values converted as their columns say', async () => {
    await db.tx((ctx) => insertSetting(ctx, { key: 'k', value: { deep: ['x'] }, updatedAt: at(5) }));
    const s = db.reader.t.settings;
    const [row] = await db.reader.db
      .select()
      .from(s)
      .where(and(eq(s.key, 'k')));
    expect(row).toMatchObject({ key: 'k', value: { deep: ['x'] }, updatedAt: at(5) });
  });

  it('runs inside a transaction on its connection: it sees the transaction`s own rows, and a rollback undoes them', async () => {
    await expect(
      db.tx(async (ctx) => {
        await insertSetting(ctx, { key: 'mine', value: 1, updatedAt: at(9) });
        expect((await updatedSince(ctx, { since: at(8) })).map((r) => r.key)).toEqual(['mine']);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await updatedSince(db.reader, { since: at(0) })).toEqual([]);
  });
});
