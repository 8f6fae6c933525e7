import { fstatSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { execute, openDatabase, queryRows } from './client.ts';
import { walSync } from './wal-sync.ts';

const dir = mkdtempSync(join(tmpdir(), 'clinicbox-walsync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sync the test finishes by hand: each call is recorded, its promise left open. */
function manualSync() {
  const calls: { fd: number; finish(): void; fail(e: Error): void }[] = [];
  const sync = (fd: number) =>
    new Promise<void>((resolve, reject) => calls.push({ fd, finish: resolve, fail: reject }));
  return { calls, sync };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('walSync', () => {
  const database = join(dir, 'unit.db');
  writeFileSync(`${database}-wal`, '');

  /** walSync of `path` with a manual sync, after one commit that it synced (`calls[0]`). */
  async function walAfterOneSync(path: string) {
    const { calls, sync } = manualSync();
    const wal = walSync(path, sync);
    const first = wal.durable();
    await settle();
    calls[0]!.finish();
    await first;
    return { calls, wal };
  }

  it('acknowledges a commit only after a sync that began after it', async () => {
    const { calls, sync } = manualSync();
    const wal = walSync(database, sync);
    const acked: string[] = [];
    void wal.durable().then(() => acked.push('first'));
    await settle();
    expect(calls).toHaveLength(1);
    // Committed while the first sync runs: its frames may be after what that sync covers.
    void wal.durable().then(() => acked.push('second'));
    void wal.durable().then(() => acked.push('third'));
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    await settle();
    expect(acked).toEqual(['first']);
    expect(calls).toHaveLength(2); // one sync for both that waited
    calls[1]!.finish();
    await settle();
    expect(acked).toEqual(['first', 'second', 'third']);
    await wal.close();
  });

  it('fails the commits a failed sync covered, and syncs again for later ones', async () => {
    const { calls, sync } = manualSync();
    const wal = walSync(database, sync);
    const first = wal.durable();
    await settle();
    const second = wal.durable();
    calls[0]!.fail(new Error('EIO'));
    await expect(first).rejects.toThrow('EIO');
    await settle();
    calls[1]!.finish();
    await expect(second).resolves.toBeUndefined();
    await wal.close();
  });

  it('syncs the WAL file that is there, should it have been replaced since the last sync', async () => {
    const path = join(dir, 'replaced.db');
    writeFileSync(`${path}-wal`, 'old');
    const { calls, wal } = await walAfterOneSync(path);
    rmSync(`${path}-wal`);
    writeFileSync(`${path}-wal`, 'new');
    const second = wal.durable();
    await settle();
    expect(fstatSync(calls[1]!.fd).ino).toBe(statSync(`${path}-wal`).ino);
    calls[1]!.finish();
    await second;
    await wal.close();
  });

  it('starts a new sync for a commit made after the last one finished', async () => {
    const { calls, wal } = await walAfterOneSync(database);
    const later = wal.durable();
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    await expect(later).resolves.toBeUndefined();
    await wal.close();
  });
});

describe('SQLite synchronous=full through walSync', () => {
  it('commits concurrent transactions durably and in order, and keeps them after reopening', async () => {
    const path = join(dir, 'full.db');
    const open = () => openDatabase({ url: '', sqlite: { path, synchronous: 'full' } });
    let db = await open();
    await db.tx((ctx) => execute(ctx, sql`create table t (n integer primary key)`));
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        db.tx((ctx) => execute(ctx, sql`insert into t (n) values (${n})`)).then(() => order.push(n)),
      ),
    );
    expect(order).toEqual(Array.from({ length: 200 }, (_, n) => n));
    await db.close();
    db = await open();
    const [row] = await queryRows<{ c: number }>(db.reader, sql`select count(*) as c from t`);
    expect(Number(row!.c)).toBe(200);
    await db.close();
  });
});
