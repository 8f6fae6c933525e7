/**
 * The query plan of the queue's claim statement after the enqueue phase, with its backlog in
 * place: whether claiming stays cheap as the queue grows.
 */
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { drizzle as drizzlePg } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as pgSchema from '../../src/db/schema/pg.ts';
import * as sqliteSchema from '../../src/db/schema/sqlite.ts';
import { claimCandidates } from '../../src/jobs/queue.ts';
import { CONCURRENCY, N, pgUrlFor } from './settings.ts';

type SqliteQb = ReturnType<typeof drizzleSqlite<typeof sqliteSchema>>;

/**
 * The claim statement as claim() in src/jobs/queue.ts builds it (its candidates come from the same
 * claimCandidates()), on `jobs` of either dialect, for EXPLAIN.
 */
function claimStatement(
  qb: SqliteQb,
  jobs: typeof sqliteSchema.jobs,
  dialect: 'sqlite' | 'postgres',
): { sql: string; params: unknown[] } {
  const now = new Date();
  return qb
    .update(jobs)
    .set({
      status: 'running',
      lockedBy: 'explain',
      leaseUntil: new Date(now.getTime() + 30_000),
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: now,
    })
    .where(sql`${jobs.id} in (${claimCandidates(dialect, now, CONCURRENCY)})`)
    .returning()
    .toSQL();
}

export async function explainClaimSqlite(path: string): Promise<string[]> {
  const raw = new BetterSqlite3(path, { readonly: true });
  try {
    const q = claimStatement(drizzleSqlite(raw, { schema: sqliteSchema }), sqliteSchema.jobs, 'sqlite');
    const rows = raw.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as { detail: string }[];
    const plan = rows.map((r) => r.detail);
    const ok = plan.some((d) => d.includes('jobs_claim'));
    return [
      `claim plan (SQLite EXPLAIN QUERY PLAN, ${N.toLocaleString('en-US')} queued rows): ${plan.join(' | ')}`,
      ok
        ? 'claim uses the jobs_claim partial index: yes'
        : 'claim uses the jobs_claim partial index: NO — it reads every queued row and sorts them (cost grows with the backlog)',
      `claim SQL: ${q.sql}`,
    ];
  } finally {
    raw.close();
  }
}

export async function explainClaimPg(database: string): Promise<string[]> {
  const client = postgres(pgUrlFor(database), { max: 1, onnotice: () => {} });
  try {
    // Build with the SQLite builder's shape on pg tables, as client.ts does (same calls).
    const qb = drizzlePg(client, { schema: pgSchema }) as unknown as SqliteQb;
    const q = claimStatement(qb, pgSchema.jobs as unknown as typeof sqliteSchema.jobs, 'postgres');
    // As claim() runs it: sorts priced out, no JIT (one connection: the session settings hold).
    await client.unsafe(`select set_config('enable_sort', 'off', false), set_config('jit', 'off', false)`);
    const rows = (await client.unsafe(`EXPLAIN ${q.sql}`, q.params as never[])) as unknown as {
      'QUERY PLAN': string;
    }[];
    const plan = rows.map((r) => r['QUERY PLAN'].trim());
    return [`claim plan (PostgreSQL EXPLAIN, ${N.toLocaleString('en-US')} queued rows): ${plan.join(' | ')}`];
  } finally {
    await client.end({ timeout: 5 });
  }
}
