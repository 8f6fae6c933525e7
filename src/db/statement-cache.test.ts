import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheStatements, resetBetterSqlite } from './statement-cache.ts';

describe('cacheStatements (better-sqlite3, through drizzle)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clinicbox-statements-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const open = () => {
    const raw = new Database(join(dir, `${Math.random()}.db`));
    let prepared = 0;
    const prepare = raw.prepare.bind(raw);
    raw.prepare = ((text: string) => {
      prepared += 1;
      return prepare(text);
    }) as typeof raw.prepare;
    cacheStatements(raw, resetBetterSqlite, 2);
    raw.exec('create table t (id integer primary key, name text)');
    return { raw, db: drizzle(raw), prepared: () => prepared };
  };

  it('prepares a statement once and hands it out again, the least recently used dropped past max', () => {
    const { db, prepared } = open();
    for (let i = 0; i < 5; i++) db.run(sql`insert into t (name) values (${`n${i}`})`);
    expect(prepared()).toBe(1);
    db.all(sql`select count(*) as n from t`);
    db.all(sql`select max(id) as n from t`); // the insert is now the least recently used of three: dropped
    db.run(sql`insert into t (name) values (${'again'})`);
    expect(prepared()).toBe(4);
  });

  it('answers objects after drizzle asked the same statement for arrays of values', () => {
    const { db } = open();
    db.run(sql`insert into t (name) values (${'Ana'})`);
    const query = sql`select id, name from t`;
    expect(db.values(query)).toEqual([[1, 'Ana']]);
    expect(db.all(query)).toEqual([{ id: 1, name: 'Ana' }]);
    expect(db.get(query)).toEqual({ id: 1, name: 'Ana' });
    expect(db.values(query)).toEqual([[1, 'Ana']]);
  });
});
