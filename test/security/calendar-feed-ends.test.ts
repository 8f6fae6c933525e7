import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../src/testing/app.ts';
import type { TestBrowser } from '../../src/testing/browser.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from '../../src/testing/factories.ts';
import { signedInAs } from '../../src/testing/signed-in.ts';

/*
 * Issue 14, item 2: a practitioner's secret calendar feed (/ical/<token>.ics) kept serving their
 * appointments after the account was deactivated. Now a feed ends with a deactivation or a role
 * change, is refused when served for an account that is no longer an active practitioner, and an
 * admin can revoke any member's feed from the staff page (audited).
 */
describe('a calendar feed ends with the practitioner’s access (issue 14, item 2)', () => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let admin: TestBrowser;
  let feed: string;
  const practitionerId = () => clinic.practitionerIds[0]!;
  beforeEach(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional', baseUrl: 'https://clinic.example' } });
    clinic = await seedClinic(app);
    await bookAppointment(app, clinic, clinic.patientIds[0]!, '2026-03-03T08:00:00.000Z');
    const options = { browser: { origin: 'https://clinic.example' } };
    const p1 = await signedInAs(app, 'p1@clinic.example', options);
    await p1.text(await p1.get('/staff/account'));
    const page = await p1.text(await p1.post('/staff/account/calendar-feed'));
    feed = /https:\/\/clinic\.example(\/ical\/[\w-]{43}\.ics)/.exec(page)![1]!;
    admin = await signedInAs(app, 'ada@clinic.example', options);
    await admin.text(await admin.get('/staff/admin/staff'));
  });
  afterEach(() => app.destroy());

  /** What the feed's URL answers a calendar app (no cookies): its status and body. */
  async function fetchFeed(): Promise<{ status: number; body: string }> {
    const res = await app.http.request(feed);
    return { status: res.status, body: await res.text() };
  }
  const feedEvents = async () => (await fetchFeed()).body.split('BEGIN:VEVENT').length - 1;

  it('ends when an admin deactivates the practitioner', async () => {
    expect(await feedEvents()).toBe(1);
    expect((await admin.post(`/staff/admin/staff/${practitionerId()}/deactivate`)).status).toBe(303);
    const after = await fetchFeed();
    expect(after.status).toBe(404);
    expect(after.body).not.toContain('VEVENT');
  });

  it('ends with a role change, and does not come back with the role', async () => {
    const role = (r: string) => admin.post(`/staff/admin/staff/${practitionerId()}/role`, { role: r });
    expect((await role('reception')).status).toBe(303);
    expect((await fetchFeed()).status).toBe(404);
    expect((await role('practitioner')).status).toBe(303);
    expect((await fetchFeed()).status).toBe(404);
    const ended = (await app.deps.audit.list({ limit: 20 })).filter((r) => r.action === 'calendar-feed.end');
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ entityId: practitionerId(), details: { reason: 'staff.change-role' } });
  });

  it('is refused when served for an account that is no longer active (deactivated by an older version)', async () => {
    // The account row as a version without this fix left it: deactivated, the feed still there.
    await app.db.tx((ctx) =>
      ctx.db
        .update(ctx.t.staffAccounts)
        .set({ status: 'deactivated' })
        .where(eq(ctx.t.staffAccounts.id, practitionerId())),
    );
    expect((await fetchFeed()).status).toBe(404);
  });

  it('an admin revokes a member’s feed from the staff page, audited', async () => {
    const page = admin.page();
    expect(page).toContain(`/staff/admin/staff/${practitionerId()}/revoke-calendar-feed`);
    expect(page).not.toContain(`/staff/admin/staff/${clinic.practitionerIds[1]}/revoke-calendar-feed`);
    const revoked = await admin.post(`/staff/admin/staff/${practitionerId()}/revoke-calendar-feed`);
    expect(revoked.status).toBe(303);
    expect((await fetchFeed()).status).toBe(404);
    const [row] = await app.deps.audit.list({ limit: 1 });
    expect(row).toMatchObject({
      action: 'calendar-feed.revoke',
      actorId: (await app.deps.staff.accounts.findActiveByEmail('ada@clinic.example'))!.id,
      entityId: practitionerId(),
    });
    // Nothing left to revoke: 404, nothing audited.
    await admin.text(await admin.get('/staff/admin/staff'));
    const again = await admin.post(`/staff/admin/staff/${practitionerId()}/revoke-calendar-feed`);
    expect(again.status).toBe(404);
    expect((await app.deps.audit.list({ limit: 1 }))[0]!.id).toBe(row!.id);
  });
});
