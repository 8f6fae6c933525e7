import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { type AppWithSinks, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import { bothDialects } from '../../testing/db.ts';
import { seedClinic } from '../../testing/factories.ts';
import type { SmsSink } from '../../testing/peers/sms-sink.ts';
import type { SmtpSink } from '../../testing/peers/smtp-sink.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';
import { systemActor } from '../audit/index.ts';
import { smsBudget } from './sms-budget.ts';

/** The monthly SMS budget: what goes instead once it is spent, and reservations that never pass it. */

describe.each(bothDialects)('the monthly SMS budget on %s', (dialect) => {
  let smtp: SmtpSink;
  let sms: SmsSink;
  let app: AppWithSinks;
  beforeAll(async () => {
    app = await createAppWithSinks({ dialect, config: { smsMonthlyLimit: 1 } });
    ({ smtp, sms } = app);
    await seedClinic(app);
  });
  afterAll(() => app?.destroy());

  it('sends an invitation over the budget by email instead, and logs the SMS as failed', async () => {
    const omar = await patientOnRecord(app, { email: 'omar@example.org', phone: '+33712345678' });
    await app.deps.patientInvites.invite(systemActor, omar.id, { phone: '+33 7 12 34 56 78' });
    const mail = await until('the fallback email', async () => smtp.messages[0]);
    expect(mail.subject).toBe('Riverside Physio: book and manage your appointments online');
    expect(mail.text).toMatch(/\/app\/#\/invite\?token=[\w-]{43}/);
    const rows = await until('both logged', async () => {
      const r = await app.deps.notifications.deliveries.forPatient(systemActor, omar.id);
      return r.length === 2 && r.every((d) => d.status !== 'queued') && r;
    });
    expect(rows.map((d) => [d.channel, d.status, d.lastError]).sort()).toEqual([
      ['email', 'sent', null],
      ['sms', 'failed', 'over the monthly SMS budget'],
    ]);
    expect(sms.requests).toHaveLength(0);
  });
});

describe.each(bothDialects)('SMS budget reservations on %s', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ dialect });
  });
  afterAll(() => app?.destroy());

  it('never passes the monthly limit, however many reserve at once, and counts each delivery once', async () => {
    const budget = smsBudget({ db: app.db, clock: fixedClock('2026-07-15T12:00:00Z'), monthlyLimit: 5 });
    const now = app.clock.now();
    const ids = Array.from({ length: 20 }, (_, i) => `budget-${i}`);
    await app.db.tx((ctx) =>
      ctx.db.insert(ctx.t.deliveries).values(
        ids.map((id) => ({
          id,
          recipient: '+447911123466',
          channel: 'sms' as const,
          messageType: 'appointment-reminder',
          language: 'en',
          status: 'queued' as const,
          createdAt: now,
          updatedAt: now,
        })),
      ),
    );
    const granted = await Promise.all(
      ids.map((id) => budget.reserve(id, 'short text', { essential: false })),
    );
    expect(granted.filter(Boolean)).toHaveLength(5);
    const u = app.db.reader.t.smsUsage;
    const [row] = await app.db.reader.db.select().from(u).where(eq(u.month, '2026-07'));
    expect(row!.segments).toBe(5);
    // A retry of one that was counted goes without counting again.
    const counted = ids[granted.indexOf(true)]!;
    expect(await budget.reserve(counted, 'short text', { essential: false })).toBe(true);
    const [again] = await app.db.reader.db.select().from(u).where(eq(u.month, '2026-07'));
    expect(again!.segments).toBe(5);
  });
});
