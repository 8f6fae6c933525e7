import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadOptions } from '../config/load.ts';
import { dataOptions } from '../config/options.ts';
import { openDatabase, queryRows } from './client.ts';

const url = process.env.CLINICBOX_TEST_DATABASE_URL;

/**
 * `--database-pool` bounds the connections an instance opens, and every connection starts with
 * JIT off (it compiled the reports' plans for longer than they ran). Needs a PostgreSQL server.
 */
describe.skipIf(!url || url === 'pglite')('PostgreSQL connections', () => {
  it('keeps at most --database-pool connections, each with jit off', async () => {
    const db = await openDatabase({ url: url!, sqlite: { path: '', synchronous: 'full' }, pool: 2 });
    try {
      // Six statements at once, each holding its connection for 100 ms: two connections serve them.
      const rows = await Promise.all(
        Array.from({ length: 6 }, () =>
          queryRows<{ pid: number; jit: string }>(
            db.reader,
            sql`select pg_backend_pid() as pid, current_setting('jit') as jit, pg_sleep(0.1)::text as slept`,
          ),
        ),
      );
      expect(new Set(rows.map(([r]) => r!.pid)).size).toBe(2);
      expect(new Set(rows.map(([r]) => r!.jit))).toEqual(new Set(['off']));
    } finally {
      await db.close();
    }
  });
});

describe('--database-pool', () => {
  it('is 10 by default and refuses what is not a whole number from 1 to 1000', () => {
    const load = (argv: string[]) => loadOptions('serve', dataOptions, argv, {}).values.databasePool;
    expect(load([])).toBe(10);
    expect(load(['--database-pool', '25'])).toBe(25);
    for (const bad of ['0', '1001', '2.5', 'many'])
      expect(() => load(['--database-pool', bad])).toThrow(/database-pool/);
  });
});
