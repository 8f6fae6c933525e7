import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.ts';
import { bothDialects, createTestDb, type TestDb } from '../../testing/db.ts';
import { findSettingValue, insertSettingIfMissing, upsertSetting } from './clinic.repo.ts';

describe.each(bothDialects)('the settings table on %s', (dialect) => {
  let db: TestDb;
  const now = new Date('2026-03-02T09:00:00Z');
  beforeAll(async () => {
    db = await createTestDb(dialect);
    await migrate(db);
  });
  afterAll(() => db.destroy());

  it('answers undefined for a key never stored', async () => {
    expect(await findSettingValue(db.reader, 'nothing.here')).toBeUndefined();
  });

  it('insertSettingIfMissing keeps the first value when two race (first start on two instances)', async () => {
    await Promise.all([
      db.tx((ctx) => insertSettingIfMissing(ctx, 'test.key', { publicKey: 'first' }, now)),
      db.tx((ctx) => insertSettingIfMissing(ctx, 'test.key', { publicKey: 'second' }, now)),
    ]);
    const stored = await findSettingValue(db.reader, 'test.key');
    expect(['first', 'second']).toContain((stored as { publicKey: string }).publicKey);
    await db.tx((ctx) => insertSettingIfMissing(ctx, 'test.key', { publicKey: 'third' }, now));
    expect(await findSettingValue(db.reader, 'test.key')).toEqual(stored);
  });

  it('upsertSetting replaces, and a transaction reads its own write', async () => {
    await db.tx(async (ctx) => {
      await upsertSetting(ctx, 'clinic', { name: 'A' }, now);
      await upsertSetting(ctx, 'clinic', { name: 'B' }, now);
      expect(await findSettingValue(ctx, 'clinic')).toEqual({ name: 'B' });
    });
    expect(await findSettingValue(db.reader, 'clinic')).toEqual({ name: 'B' });
  });

  it('keeps strings and arrays as they were given (JSON values)', async () => {
    await db.tx((ctx) => insertSettingIfMissing(ctx, 'test.string', 'a-secret-key', now));
    await db.tx((ctx) => insertSettingIfMissing(ctx, 'test.array', [1, 2], now));
    expect(await findSettingValue(db.reader, 'test.string')).toBe('a-secret-key');
    expect(await findSettingValue(db.reader, 'test.array')).toEqual([1, 2]);
  });
});
