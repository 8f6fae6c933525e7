import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execute } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { fixedClock } from '../../lib/clock.ts';
import { clinicKeys, Key } from '../../lib/crypto.ts';
import { bothDialects, createTestDb, type TestDb } from '../../testing/db.ts';
import { testKeys } from '../../testing/keys.ts';
import { openRawDatabase } from '../../testing/raw-database.ts';
import { unkeyedAuditHash } from './audit.chain.ts';
import { type Actor, GENESIS_HASH } from './audit.schema.ts';
import { auditService } from './audit.service.ts';

const nurse: Actor = {
  type: 'staff',
  id: 'staff-1',
  ip: '10.0.0.5',
  userAgent: 'Firefox',
  requestId: 'req-1',
};

describe.each(bothDialects)('the audit log on %s', (dialect) => {
  let db: TestDb;
  const clock = fixedClock('2026-03-02T09:00:00Z');
  const audit = () => auditService({ db, clock, chainKey: testKeys.auditChain });
  beforeAll(async () => {
    db = await createTestDb(dialect);
    await migrate(db);
  });
  afterAll(() => db.destroy());

  /** Tampers as an attacker with direct database access would (triggers off), then verifies. */
  const tamperAndVerify = async (statement: string) => {
    await audit().seal();
    await db.tx(async (ctx) => {
      if (dialect === 'sqlite') {
        await execute(ctx, sql.raw('drop trigger audit_log_no_update'));
        await execute(ctx, sql.raw('drop trigger audit_log_no_delete'));
      } else {
        await execute(ctx, sql.raw('alter table audit_log disable trigger audit_log_no_change'));
        await execute(ctx, sql.raw('alter table audit_log disable trigger audit_log_sealed_in_order'));
      }
      await execute(ctx, sql.raw(statement));
    });
    return audit().verify();
  };
  const appendOnly = (e: unknown) =>
    /append-only/.test(
      String((e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : e),
    );

  beforeEach(async () => {
    // Each test starts from a fresh database: the log cannot be emptied by design.
    await db.destroy();
    db = await createTestDb(dialect);
    await migrate(db);
  });

  it('chains rows written in callers’ transactions, including concurrent ones, and verifies', async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        db.tx(async (ctx) => {
          clock.advance(1000);
          await audit().record(ctx, nurse, {
            action: 'patient.read',
            entity: 'patient',
            entityId: `p${i}`,
            patientId: `p${i}`,
            details: { z: 1, a: 'x', m: true },
          });
        }),
      ),
    );
    if (dialect === 'sqlite') {
      // Sealed in the transactions that wrote them (once a commit group), none left for verify to seal.
      expect((await audit().list({ limit: 100 })).filter((r) => r.seq === null)).toEqual([]);
    }
    const result = await audit().verify();
    expect(result).toMatchObject({ ok: true, rows: 30 });
    expect(result.head).toMatch(/^[0-9a-f]{64}$/);
    const [newest] = await audit().list({ limit: 1 });
    expect(newest).toMatchObject({
      actorType: 'staff',
      actorId: 'staff-1',
      ip: '10.0.0.5',
      userAgent: 'Firefox',
      requestId: 'req-1',
      action: 'patient.read',
    });
    expect(await audit().list({ patientId: 'p3' })).toHaveLength(1);
  });

  it('is not written when the change it describes rolls back', async () => {
    await db
      .tx(async (ctx) => {
        await audit().record(ctx, nurse, {
          action: 'appointment.cancel',
          entity: 'appointment',
          entityId: 'a1',
        });
        throw new Error('cancel failed');
      })
      .catch(() => {});
    expect(await audit().verify()).toMatchObject({ ok: true, rows: 0 });
  });

  it('refuses UPDATE and DELETE', async () => {
    await audit().recordRead(nurse, { action: 'patient.read', entity: 'patient', entityId: 'p1' });
    await expect(
      db.tx((ctx) => execute(ctx, sql`update audit_log set action = 'nothing'`)),
    ).rejects.toSatisfy(appendOnly);
    await expect(db.tx((ctx) => execute(ctx, sql`delete from audit_log`))).rejects.toSatisfy(appendOnly);
    expect(await audit().verify()).toMatchObject({ ok: true, rows: 1 });
  });

  it.skipIf(dialect === 'sqlite')('refuses TRUNCATE (PostgreSQL)', async () => {
    await audit().recordRead(nurse, { action: 'patient.read', entity: 'patient', entityId: 'p1' });
    await expect(db.tx((ctx) => execute(ctx, sql`truncate audit_log`))).rejects.toSatisfy(appendOnly);
    expect(await audit().verify()).toMatchObject({ ok: true, rows: 1 });
  });

  it('names its head (id and hash); rows removed from the end show against a recorded head', async () => {
    for (let i = 1; i <= 5; i++)
      await audit().recordRead(nurse, { action: 'patient.read', entity: 'patient', entityId: `p${i}` });
    const intact = await audit().verify();
    expect(intact).toMatchObject({ ok: true, rows: 5, headId: 5 });
    const head = { id: intact.headId!, hash: intact.head };
    expect(await audit().verify({ expectHead: head })).toMatchObject({ ok: true, rows: 5 });
    // A later row does not change that: the recorded head is still in the chain.
    await audit().recordRead(nurse, { action: 'patient.read', entity: 'patient', entityId: 'p6' });
    expect(await audit().verify({ expectHead: head })).toMatchObject({ ok: true, rows: 6 });
    expect(await audit().verify({ expectHead: { id: 3, hash: head.hash } })).toMatchObject({
      ok: false,
      brokenAt: { id: 3, reason: expect.stringMatching(/not the recorded head/) },
    });

    // The tail is cut: the chain that is left still links, but the recorded head is gone.
    const cut = await tamperAndVerify('delete from audit_log where id > 3');
    expect(cut).toMatchObject({ ok: true, rows: 3, headId: 3 });
    const checked = await audit().verify({ expectHead: head });
    expect(checked.ok).toBe(false);
    expect(checked.brokenAt).toMatchObject({ id: 5, reason: expect.stringMatching(/missing/) });
  });

  it.each([
    ['a changed row', `update audit_log set entity_id = 'p999' where id = 3`, 3, /contents do not match/],
    ['a deleted row', 'delete from audit_log where id = 2', 3, /link to the previous row/],
  ])('names the first broken row after %s', async (_what, statement, brokenId, reason) => {
    for (let i = 1; i <= 5; i++)
      await audit().recordRead(nurse, { action: 'patient.read', entity: 'patient', entityId: `p${i}` });
    const result = await tamperAndVerify(statement);
    expect(result.ok).toBe(false);
    expect(result.brokenAt?.id).toBe(brokenId);
    expect(result.brokenAt?.reason).toMatch(reason);
  });

  /** Rows as a version before the master key wrote them: ids (and seq) 1…n on the unkeyed (SHA-256) chain. */
  const writeUnkeyedRows = async (n: number) => {
    const raw = await openRawDatabase(db);
    let prev = GENESIS_HASH;
    for (let id = 1; id <= n; id++) {
      const at = new Date(Date.UTC(2025, 0, 1, 9, id));
      const fields = { ...unkeyedFields, at, entityId: `p${id}` };
      const hash = unkeyedAuditHash(prev, fields);
      await raw.run(
        `insert into audit_log (id, seq, at, actor_type, actor_id, action, entity, entity_id, prev_hash, hash) ${dialect === 'postgres' ? 'overriding system value' : ''} values (?, ?, ?, 'staff', 'staff-1', 'patient.read', 'patient', ?, ?, ?)`,
        id,
        id,
        dialect === 'sqlite' ? at.getTime() : at.toISOString(),
        fields.entityId,
        prev,
        hash,
      );
      prev = hash;
    }
    // As a restore does after rows given their ids.
    if (dialect === 'postgres') {
      await raw.run(
        "select setval(pg_get_serial_sequence('audit_log', 'id'), (select max(id) from audit_log))",
      );
    }
    await raw.close();
  };
  const unkeyedFields = {
    actorType: 'staff',
    actorId: 'staff-1',
    action: 'patient.read',
    entity: 'patient',
    patientId: null,
    ip: null,
    userAgent: null,
    requestId: null,
    details: null,
  };

  it('continues a log from before the master key keyed; its older rows are vouched for, not re-written', async () => {
    await writeUnkeyedRows(3);
    // Nothing keyed vouches for them yet: as a log rewritten without the key would look.
    expect(await audit().verify()).toMatchObject({
      ok: false,
      brokenAt: { id: 1, reason: expect.stringMatching(/no row is keyed/) },
    });
    expect(await audit().keyChain()).toBe('unkeyed');
    const [keying] = await audit().list({ limit: 1 });
    expect(keying).toMatchObject({ id: 4, action: 'audit.chain-keyed', actorType: 'system', entityId: '3' });
    expect(await audit().keyChain()).toBe('keyed');
    await audit().recordRead(nurse, { action: 'patient.read', entity: 'patient', entityId: 'p4' });
    expect(await audit().verify()).toMatchObject({ ok: true, rows: 5, unkeyed: 3, headId: 5 });
    // An unkeyed row changed and its unkeyed hash recomputed: the keyed row after it no longer links.
    const [, second, third] = (await audit().list()).reverse();
    const forged = unkeyedAuditHash(second!.hash!, { ...third!, entityId: 'p9' });
    const changed = await tamperAndVerify(
      `update audit_log set entity_id = 'p9', hash = '${forged}' where id = 3`,
    );
    expect(changed.brokenAt).toMatchObject({
      id: 4,
      reason: expect.stringMatching(/link to the previous row/),
    });
  });

  it('keys an older log by the first row sealed too, before any start (its keyed hash covers the unkeyed head)', async () => {
    await writeUnkeyedRows(2);
    await audit().recordRead(nurse, { action: 'patient.read', entity: 'patient', entityId: 'p3' });
    await audit().seal();
    const rows = await audit().list();
    expect(rows.map((r) => [r.id, r.seq, r.action])).toEqual([
      [3, 3, 'patient.read'],
      [2, 2, 'patient.read'],
      [1, 1, 'patient.read'],
    ]);
    expect(await audit().verify()).toMatchObject({ ok: true, rows: 3, unkeyed: 2 });
  });

  it('says whether the newest row verifies with this key: empty, keyed, or wrong (another key)', async () => {
    expect(await audit().keyChain()).toBe('empty');
    await audit().recordRead(nurse, { action: 'patient.read', entity: 'patient', entityId: 'p1' });
    expect(await audit().keyChain()).toBe('keyed');
    const other = clinicKeys(Key.fromBytes(Buffer.alloc(32, 9))).auditChain;
    const elsewhere = auditService({ db, clock, chainKey: other });
    expect(await elsewhere.keyChain()).toBe('wrong');
    expect(await elsewhere.verify()).toMatchObject({ ok: false, brokenAt: { id: 1 } });
    expect(await audit().list()).toHaveLength(1);
  });
});
