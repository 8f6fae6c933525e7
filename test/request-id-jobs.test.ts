import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.ts';
import { createTestApp } from '../src/testing/app.ts';
import { deskBookingOverApi } from '../src/testing/booking-api-world.ts';
import { bothDialects } from '../src/testing/db.ts';

/*
 * Issue 21, item 5: a request's id travels into the jobs it enqueues (the booking's confirmation),
 * without each call site passing it, so the job's log lines (`requestId`) match the request's.
 */
describe.each(bothDialects)('the request id in the jobs a request enqueues, on %s', (dialect) => {
  it('is the id the booking request answered with, on every job the booking enqueued', async () => {
    const app = await createTestApp({ dialect, config: { staffMfa: 'optional' } });
    try {
      const res = await deskBookingOverApi(app);
      expect(res.status, await res.clone().text()).toBe(201);
      const requestId = res.headers.get('x-request-id');
      expect(requestId).toBeTruthy();
      const jobs = await queryRows<{ name: string; request_id: string | null }>(
        app.db.reader,
        sql`select name, request_id from jobs order by id`,
      );
      const caused = jobs.filter((j) => j.request_id === requestId);
      expect(caused.length, JSON.stringify(jobs)).toBeGreaterThan(0);
    } finally {
      await app.destroy();
    }
  });
});
