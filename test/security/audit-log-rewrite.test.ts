import { createHash, createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execute } from '../../src/db/client.ts';
import type { Actor, AuditRow } from '../../src/domain/audit/index.ts';
import { createTestApp, type TestApp } from '../../src/testing/app.ts';
import { openRawDatabase, type RawDatabase } from '../../src/testing/raw-database.ts';

/*
 * Someone who can write the database — the SQLite file, or PostgreSQL's tables — but has not the
 * clinic master key rewrites the audit log with raw SQL, then recomputes the chain as far as they
 * can: SHA-256 over the previous hash and the row, as the chain was made before it was keyed (or
 * an HMAC under a key of their own). Each test replays one way of doing it and then verifies:
 * the first row that was changed, moved or forged is named. Five rows, ids and chain positions
 * (seq) 1–5, sealed, to start with.
 */
const nurse: Actor = { type: 'staff', id: 'staff-1', ip: '10.0.0.5', userAgent: 'Firefox', requestId: 'r1' };
const columns =
  'id, at, actor_type, actor_id, action, entity, entity_id, patient_id, ip, user_agent, request_id, details, mac, seq, prev_hash, hash';
const GENESIS = '0'.repeat(64);

describe('rewriting the audit log outside Clinicbox', () => {
  let app: TestApp;
  let raw: RawDatabase;

  beforeEach(async () => {
    app = await createTestApp();
    for (let i = 1; i <= 5; i++) {
      await app.deps.audit.recordRead(nurse, {
        action: 'patient.read',
        entity: 'patient',
        entityId: `p${i}`,
        patientId: `p${i}`,
        details: { section: 'chart', n: i },
      });
    }
    await app.deps.audit.seal();
    raw = await openRawDatabase(app.db);
  });
  afterEach(async () => {
    await raw.close();
    await app.destroy();
  });

  /** The log as the attacker reads it, oldest first. */
  const logRows = async (): Promise<AuditRow[]> => (await app.deps.audit.list({ limit: 1000 })).reverse();

  /** What an attacker does first: drop (SQLite) or disable (PostgreSQL) the table's triggers. */
  const dropTriggers = async () => {
    if (raw.dialect === 'postgres') return raw.run('alter table audit_log disable trigger user');
    const triggers = await raw.all<{ name: string }>(
      "select name from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'",
    );
    for (const { name } of triggers) await raw.run(`drop trigger ${name}`);
  };

  /** The row's values in `columns` order, as each engine stores them. */
  const valuesOf = (r: AuditRow): unknown[] => [
    r.id,
    raw.dialect === 'sqlite' ? r.at.getTime() : r.at.toISOString(),
    ...textFields(r),
    r.details === null ? null : JSON.stringify(r.details),
    r.mac,
    r.seq,
    r.prevHash,
    r.hash,
  ];

  /** The chain recomputed from row `first` on with `hash` (the attacker's), oldest first. */
  const rechained = (rows: AuditRow[], hash: (prev: string, r: AuditRow) => string, first = rows[0]!.id) => {
    const start = rows.findIndex((r) => r.id >= first);
    let prev = start > 0 ? rows[start - 1]!.hash! : GENESIS;
    return rows.slice(start).map((r) => {
      const next = { ...r, prevHash: prev, hash: hash(prev, r) };
      prev = next.hash;
      return next;
    });
  };

  /** Writes each row's links back in place. */
  const updateLinks = async (rows: AuditRow[]) => {
    for (const r of rows) {
      await raw.run('update audit_log set prev_hash = ?, hash = ? where id = ?', r.prevHash, r.hash, r.id);
    }
  };

  /** PostgreSQL's INSERT OR REPLACE: an insert that takes over the row with the same id. */
  const insertOrReplace = (r: AuditRow) =>
    raw.dialect === 'sqlite'
      ? raw.run(`insert or replace into audit_log (${columns}) values (${marks})`, ...valuesOf(r))
      : raw.run(
          `insert into audit_log (${columns}) overriding system value values (${marks}) on conflict (id) do update set entity_id = excluded.entity_id, prev_hash = excluded.prev_hash, hash = excluded.hash`,
          ...valuesOf(r),
        );
  const marks = columns
    .split(',')
    .map(() => '?')
    .join(', ');

  const expectNamed = async (id: number) => {
    const result = await app.deps.audit.verify();
    expect(result.ok).toBe(false);
    expect(result.brokenAt?.id).toBe(id);
  };

  it('INSERT OR REPLACE of an old row is refused; with the triggers dropped the replaced row is named', async () => {
    const rows = await logRows();
    const changed = rows.map((r) => (r.id === 3 ? { ...r, entityId: 'p999' } : r));
    const forged = rechained(changed, plainHash, 3);
    // The triggers stand: the replacement is refused, and the log is as it was.
    await expect(insertOrReplace(forged[0]!)).rejects.toSatisfy(appendOnly);
    if (raw.dialect === 'sqlite') {
      // On the app's own connection, even an old id slipped past the append trigger fires the
      // delete trigger (recursive_triggers is on there).
      await raw.run('drop trigger if exists audit_log_insert_new');
      await expect(
        app.db.tx((ctx) =>
          execute(
            ctx,
            sql`insert or replace into audit_log (id, at, actor_type, action, entity, prev_hash, hash)
            values (3, 0, 'system', 'x', 'x', 'x', 'x')`,
          ),
        ),
      ).rejects.toSatisfy(appendOnly);
    }
    expect(await app.deps.audit.verify()).toMatchObject({ ok: true, rows: 5 });
    await dropTriggers();
    for (const r of forged) await insertOrReplace(r);
    expect((await logRows()).find((r) => r.id === 3)?.entityId).toBe('p999');
    await expectNamed(3);
  });

  it('an UPDATE with the chain recomputed after it: the updated row is named', async () => {
    await dropTriggers();
    await raw.run("update audit_log set entity_id = 'p999' where id = 3");
    await updateLinks(rechained(await logRows(), plainHash, 3));
    await expectNamed(3);
  });

  it('a DELETE with the chain recomputed after it: the row that now follows the gap is named', async () => {
    await dropTriggers();
    await raw.run('delete from audit_log where id = 3');
    await updateLinks(rechained(await logRows(), plainHash, 4));
    await expectNamed(4);
  });

  it('TRUNCATE and a forged log in its place: its first row is named, and the recorded head is gone', async () => {
    const intact = await app.deps.audit.verify();
    const head = { id: intact.headId!, hash: intact.head };
    const rows = await logRows();
    await dropTriggers();
    await raw.run(raw.dialect === 'postgres' ? 'truncate audit_log' : 'delete from audit_log');
    const forged = rechained(rows.slice(0, 3), plainHash);
    for (const r of forged)
      await raw.run(`insert into audit_log (${columns}) ${overriding()} values (${marks})`, ...valuesOf(r));
    await expectNamed(1);
    expect(await app.deps.audit.verify({ expectHead: head })).toMatchObject({ ok: false });
  });

  it('a re-chained copy (one row changed, every hash recomputed without the master key) is named', async () => {
    await dropTriggers();
    await raw.run("update audit_log set entity_id = 'p999' where id = 2");
    // With plain SHA-256 from the first row: nothing in it is keyed any more.
    await updateLinks(rechained(await logRows(), plainHash));
    await expectNamed(1);
    // With an HMAC under a key of the attacker's own.
    const guessed = (prev: string, r: AuditRow) =>
      createHmac('sha256', 'clinicbox').update(canonical(prev, r)).digest('hex');
    await updateLinks(rechained(await logRows(), guessed));
    await expectNamed(1);
  });

  it('a row appended at the head with the right link but no key: it is named', async () => {
    const rows = await logRows();
    const last = rows.at(-1)!;
    const forged = { ...last, id: last.id + 1, seq: last.seq! + 1, entityId: 'p6', prevHash: last.hash! };
    forged.hash = plainHash(forged.prevHash, forged);
    await raw.run(
      `insert into audit_log (${columns}) ${overriding()} values (${marks})`,
      ...valuesOf(forged),
    );
    await expectNamed(6);
  });

  /** PostgreSQL's identity column takes a given id only when told to. */
  const overriding = () => (raw.dialect === 'postgres' ? 'overriding system value' : '');
});

/** The database refused the statement as a change to the append-only log. */
const appendOnly = (e: unknown): boolean =>
  /append-only/.test(`${(e as Error).message} ${((e as Error).cause as Error | undefined)?.message ?? ''}`);

/** A row's fields as the unkeyed chain hashed them: the previous hash first, details' keys sorted. */
function canonical(prev: string, r: AuditRow): string {
  const details = r.details
    ? Object.entries(r.details as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    : null;
  return JSON.stringify([prev, r.at.toISOString(), ...textFields(r), details]);
}

/** Who, what and from where, in column order. */
const textFields = (r: AuditRow) => [
  r.actorType,
  r.actorId,
  r.action,
  r.entity,
  r.entityId,
  r.patientId,
  r.ip,
  r.userAgent,
  r.requestId,
];

/** SHA-256, as anyone can compute it. */
const plainHash = (prev: string, r: AuditRow): string =>
  createHash('sha256').update(canonical(prev, r)).digest('hex');
