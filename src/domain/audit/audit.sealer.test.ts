import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execute, queryRows } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { fixedClock } from '../../lib/clock.ts';
import { bothDialects, createTestDb, type TestDb } from '../../testing/db.ts';
import { testKeys } from '../../testing/keys.ts';
import { until } from '../../testing/wait.ts';
import type { Actor } from './audit.schema.ts';
import { auditService } from './audit.service.ts';
import { verifyAuditChain } from './verify-chain.ts';

/*
 * Audit rows are inserted unsealed in the audited transaction and chained after it commits, by
 * a sealer (kicked after commits, swept every second by every instance). What must hold: one
 * unforked chain however many transactions and sealers run at once; rows a dead process left
 * unsealed are sealed by the next start; a row changed, forged or deleted after sealing shows,
 * and so does a row changed or forged before sealing (its insert MAC); a row deleted before it
 * was sealed does not (nothing points at it yet), and a row no sealer reaches is named by verify
 * once it is older than the grace period.
 */
describe.each(bothDialects)('audit sealing on %s', (dialect) => {
  let db: TestDb;
  const clock = fixedClock('2026-03-02T09:00:00Z');
  const nurse: Actor = { type: 'staff', id: 'staff-1', ip: '10.0.0.5', requestId: 'r1' };
  const audit = (options: { sealAfterCommit?: boolean } = {}) =>
    auditService({ db, clock, chainKey: testKeys.auditChain, ...options });
  const read = (i: number) => ({
    action: 'patient.read',
    entity: 'patient',
    entityId: `p${i}`,
    patientId: `p${i}`,
  });
  const sealedCount = async () =>
    Number(
      (
        await queryRows<{ n: number }>(
          db.reader,
          sql`select count(*) as n from audit_log where seq is not null`,
        )
      )[0]!.n,
    );

  const appendOnly = (e: unknown) =>
    /append-only/.test(`${(e as Error).message} ${((e as Error).cause as Error | undefined)?.message ?? ''}`);

  beforeEach(async () => {
    db = await createTestDb(dialect);
    await migrate(db);
  });
  afterEach(() => db.destroy());

  it('50 audited transactions at once, sealed by three sealers at once: one chain, positions 1…50', async () => {
    const sealers = [audit(), audit(), audit()];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.tx(async (ctx) => {
          await sealers[i % 3]!.record(ctx, nurse, read(i));
          // Other work in the transaction: the row waits for nobody else's.
          await execute(ctx, sql`select 1`);
        }),
      ),
    );
    await Promise.all(sealers.map((s) => s.seal()));
    const rows = await queryRows<{ seq: number | string }>(
      db.reader,
      sql`select seq from audit_log order by seq`,
    );
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await audit().verify()).toMatchObject({ ok: true, rows: 50, unsealed: 0, headId: 50 });
  });

  it('rows committed by a process that died before sealing are sealed at the next start', async () => {
    const dead = audit({ sealAfterCommit: false });
    for (let i = 1; i <= 5; i++) await db.tx((ctx) => dead.record(ctx, nurse, read(i)));
    expect(await sealedCount()).toBe(0);
    // Not sealed past the grace period: verify (without sealing) names the oldest.
    clock.advance(11_000);
    const stale = await verifyAuditChain(db.reader, testKeys.auditChain, { now: clock.now() });
    expect(stale).toMatchObject({ ok: false, unsealed: 5 });
    expect(stale.brokenAt!.reason).toMatch(/still not sealed/);

    const next = audit();
    next.startSealing();
    try {
      await until('the rows sealed by the next start', async () => (await sealedCount()) === 5);
    } finally {
      await next.stopSealing();
    }
    expect(await audit().verify()).toMatchObject({ ok: true, rows: 5, unsealed: 0 });
  });

  it('seals soon after the commit, without being asked', async () => {
    const a = audit();
    await db.tx((ctx) => a.record(ctx, nurse, read(1)));
    await until('the row sealed after its commit', async () => (await sealedCount()) === 1, 5_000);
  });

  /** As an attacker with the database: triggers off. */
  const triggersOff = () =>
    db.tx(async (ctx) => {
      if (dialect === 'postgres') await execute(ctx, sql`alter table audit_log disable trigger user`);
      else {
        for (const name of ['audit_log_no_update', 'audit_log_no_delete', 'audit_log_insert_new'])
          await execute(ctx, sql.raw(`drop trigger ${name}`));
      }
    });
  /** A statement run as someone with the database would (the app's writer, outside its rules). */
  const run = (statement: ReturnType<typeof sql>) => db.tx((ctx) => execute(ctx, statement));

  it('a row changed before it was sealed: sealed as found, then named (its MAC)', async () => {
    const writer = audit({ sealAfterCommit: false });
    for (let i = 1; i <= 3; i++) await db.tx((ctx) => writer.record(ctx, nurse, read(i)));
    // The triggers refuse the change…
    await expect(
      db.tx((ctx) => execute(ctx, sql`update audit_log set entity_id = 'p999' where id = 2`)),
    ).rejects.toSatisfy(appendOnly);
    // …and with them off, the sealer seals what it finds, and verify names the row.
    await triggersOff();
    await run(sql`update audit_log set entity_id = 'p999' where id = 2`);
    const result = await audit().verify();
    expect(result).toMatchObject({ ok: false, brokenAt: { id: 2 } });
    expect(result.brokenAt!.reason).toMatch(/contents do not match/);
  });

  it('a row slipped in unsealed (no MAC, or one copied from another row) is sealed, then named', async () => {
    const writer = audit({ sealAfterCommit: false });
    for (let i = 1; i <= 2; i++) await db.tx((ctx) => writer.record(ctx, nurse, read(i)));
    const [{ mac }] = (await queryRows<{ mac: string }>(
      db.reader,
      sql`select mac from audit_log where id = 1`,
    )) as [{ mac: string }];
    const at = dialect === 'sqlite' ? clock.now().getTime() : clock.now().toISOString();
    await run(
      sql`insert into audit_log (at, actor_type, actor_id, action, entity, entity_id, mac) values (${at}, 'staff', 'staff-1', 'patient.read', 'patient', 'p7', ${mac})`,
    );
    const result = await audit().verify();
    expect(result).toMatchObject({ ok: false, rows: 2, brokenAt: { id: 3 } });
  });

  it('a sealed row changed or deleted is named; a row deleted before sealing is not (documented limit)', async () => {
    const writer = audit({ sealAfterCommit: false });
    for (let i = 1; i <= 4; i++) await db.tx((ctx) => writer.record(ctx, nurse, read(i)));
    await triggersOff();
    // Deleted before any sealer ran: nothing pointed at it yet.
    await run(sql`delete from audit_log where id = 4`);
    expect(await audit().verify()).toMatchObject({ ok: true, rows: 3 });
    // Once sealed, a deletion breaks the next row's link…
    await run(sql`delete from audit_log where id = 2`);
    expect(await audit().verify()).toMatchObject({
      ok: false,
      brokenAt: { id: 3, reason: expect.stringMatching(/link to the previous row/) },
    });
  });

  it('the database refuses a second seal, a seal out of order, and a half-sealed insert', async () => {
    const writer = audit({ sealAfterCommit: false });
    for (let i = 1; i <= 3; i++) await db.tx((ctx) => writer.record(ctx, nurse, read(i)));
    const g = '0'.repeat(64);
    // Position 2 before 1: no row 1 to link to.
    await expect(
      db.tx((ctx) =>
        execute(ctx, sql`update audit_log set seq = 2, prev_hash = ${g}, hash = ${g} where id = 1`),
      ),
    ).rejects.toSatisfy(appendOnly);
    await writer.seal();
    await expect(
      db.tx((ctx) =>
        execute(ctx, sql`update audit_log set seq = 9, prev_hash = ${g}, hash = ${g} where id = 1`),
      ),
    ).rejects.toSatisfy(appendOnly);
    const at = dialect === 'sqlite' ? clock.now().getTime() : clock.now().toISOString();
    await expect(
      db.tx((ctx) =>
        execute(
          ctx,
          sql`insert into audit_log (at, actor_type, action, entity, hash) values (${at}, 'system', 'x', 'x', ${g})`,
        ),
      ),
    ).rejects.toSatisfy(appendOnly);
    expect(await audit().verify()).toMatchObject({ ok: true, rows: 3 });
  });
});
