import { type SQL, sql } from 'drizzle-orm';
import { type DbCtx, execute } from './client.ts';

/**
 * Inserts many rows of driver values (as drizzle's columns map them) into `table`, inside the
 * caller's transaction: on SQLite one prepared statement run per row on the transaction's own
 * connection (a multi-row statement built through drizzle costs ~100 µs a row); on PostgreSQL
 * multi-row INSERTs, with OVERRIDING SYSTEM VALUE when `identity` columns are given explicitly.
 * Returns a function that takes rows; call it as often as needed, then `flush()`.
 */
export function bulkInserter(
  ctx: DbCtx,
  table: string,
  columns: string[],
  options: { overridingIdentity?: boolean } = {},
): { add(values: unknown[]): Promise<void>; flush(): Promise<void> } {
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const head = `insert into ${quoted(table)} (${columns.map(quoted).join(', ')})`;
  if (ctx.dialect === 'sqlite') {
    const client = (
      ctx.db as unknown as { $client: { prepare(q: string): { run(...p: unknown[]): unknown } } }
    ).$client;
    const statement = client.prepare(`${head} values (${columns.map(() => '?').join(', ')})`);
    return {
      async add(values) {
        statement.run(...values);
      },
      async flush() {},
    };
  }
  const perBatch = Math.max(1, Math.floor(8000 / Math.max(1, columns.length)));
  const prefix = sql.raw(`${head}${options.overridingIdentity ? ' overriding system value' : ''} values `);
  let batch: SQL[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    await execute(ctx, sql.join([prefix, sql.join(rows, sql`, `)]));
  };
  return {
    async add(values) {
      batch.push(
        sql`(${sql.join(
          values.map((v) => sql`${v}`),
          sql`, `,
        )})`,
      );
      if (batch.length >= perBatch) await flush();
    },
    flush,
  };
}
