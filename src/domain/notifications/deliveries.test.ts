import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { bothDialects } from '../../testing/db.ts';
import { PRUNE_DELIVERIES } from './notifications.jobs.ts';

describe.each(bothDialects)('the delivery log’s retention on %s', (dialect) => {
  let app: TestApp;
  afterEach(() => app?.destroy());

  it('the nightly job deletes finished entries older than --delivery-retention, keeps the rest', async () => {
    app = await createTestApp({
      dialect,
      worker: true,
      config: { deliveryRetention: 30, jobPollInterval: 20 },
    });
    await app.start();
    const now = app.clock.now().getTime();
    const entry = (ageDays: number, status: 'sent' | 'queued' | 'failed') => {
      const at = new Date(now - ageDays * 86_400_000);
      return {
        id: newId(),
        recipient: 'email:mia@example.org',
        channel: 'email' as const,
        messageType: 'appointment-booked',
        language: 'en',
        status,
        attempts: 1,
        createdAt: at,
        updatedAt: at,
      };
    };
    const rows = [entry(40, 'sent'), entry(40, 'failed'), entry(40, 'queued'), entry(29, 'sent')];
    await app.db.tx((ctx) => ctx.db.insert(ctx.t.deliveries).values(rows));

    await app.db.tx((ctx) => app.deps.jobs.queue.enqueue(ctx, PRUNE_DELIVERIES, {}));
    const left = async () =>
      (await app.db.reader.db.select({ id: app.db.reader.t.deliveries.id }).from(app.db.reader.t.deliveries))
        .map((r) => r.id)
        .sort();
    await expect.poll(left, { timeout: 5000 }).toEqual([rows[2]!.id, rows[3]!.id].sort());
  });
});
