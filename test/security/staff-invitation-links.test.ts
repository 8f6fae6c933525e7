import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecretToken, tokenId } from '../../src/lib/ids.ts';
import { type AppWithSinks, createAppWithSinks } from '../../src/testing/app-with-sinks.ts';
import { type TestBrowser, testBrowser } from '../../src/testing/browser.ts';
import { jobsDone } from '../../src/testing/jobs.ts';
import { signedInAs, signedInStaff, staffMember } from '../../src/testing/signed-in.ts';

/*
 * Issue 14, item 1: inviting a member showed the admin one set-password link and emailed
 * another; using one left the other working for 24 h, and it overwrote the chosen password.
 * Now an invitation makes one link (the emailed one), and issuing or using a link ends every
 * other unused link of the account.
 */
describe('staff set-password links (issue 14, item 1)', () => {
  let app: AppWithSinks;
  let admin: TestBrowser;
  beforeAll(async () => {
    app = await createAppWithSinks({ config: { staffMfa: 'optional', baseUrl: 'https://clinic.example' } });
    ({ browser: admin } = await signedInStaff(app, 'admin', {
      browser: { origin: 'https://clinic.example' },
    }));
  });
  afterAll(() => app.destroy());

  const linksIn = (text: string) => [
    ...new Set([...text.matchAll(/\/staff\/set-password\?token=[\w-]{43}/g)].map((m) => m[0])),
  ];
  /** Invites `email` from the staff page; every link the invitation produced (page and email). */
  async function invite(email: string, name: string): Promise<{ id: string; links: string[] }> {
    await admin.text(await admin.get('/staff/admin/staff'));
    const res = await admin.post('/staff/admin/staff', { name, email, role: 'reception' });
    expect(res.status).toBe(201);
    const page = await admin.text(res);
    await jobsDone(app, 'accounts.send-staff-invite');
    const mails = app.mailsTo(email).map((m) => m.text ?? '');
    expect(mails).toHaveLength(1);
    const id = (await app.deps.staff.accounts.list()).find((a) => a.email === email)!.id;
    return { id, links: linksIn([page, ...mails].join('\n')) };
  }
  let holders = 0;
  /**
   * Chooses `password` through `link` as someone holding it would, straight to the form's target
   * (the CSRF token from the sign-in page); the answer's status.
   */
  async function choose(link: string, password: string): Promise<number> {
    holders += 1; // each from an address of its own: the sign-in limit counts per address
    const holder = testBrowser(app.http, { origin: 'https://clinic.example', ip: `10.9.0.${holders}` });
    await holder.text(await holder.get('/staff/login'));
    return (await holder.post(link, { password })).status;
  }

  it('an invitation makes one link; once used, no other link of the invitation sets the password', async () => {
    const { links } = await invite('bo@clinic.example', 'Bo Reception');
    expect(links).toHaveLength(1);
    const [used, ...others] = links;
    expect(await choose(used!, 'bo chooses a long password')).toBe(200);
    for (const other of others) {
      expect((await app.http.request(other)).status).toBe(410);
      expect(await choose(other, 'an attacker overwrites it')).toBe(410);
    }
    await signedInAs(app, 'bo@clinic.example', { password: 'bo chooses a long password' });
  });

  it('a new link from the staff page ends the emailed one; the new one works once', async () => {
    const { id, links } = await invite('cy@clinic.example', 'Cy Reception');
    await admin.text(await admin.get('/staff/admin/staff'));
    const fresh = await admin.post(`/staff/admin/staff/${id}/invitation-link`);
    expect(fresh.status).toBe(200);
    const [link] = linksIn(await admin.text(fresh));
    expect(link).toBeDefined();
    expect(links).not.toContain(link);
    for (const emailed of links) {
      expect((await app.http.request(emailed)).status).toBe(410);
      expect(await choose(emailed, 'an attacker overwrites it')).toBe(410);
    }
    expect(await choose(link!, 'cy chooses a long password')).toBe(200);
    expect(await choose(link!, 'an attacker overwrites it')).toBe(410);
    await signedInAs(app, 'cy@clinic.example', { password: 'cy chooses a long password' });
    const issued = await app.deps.audit.list({ limit: 10 });
    expect(issued.map((r) => [r.action, r.entityId])).toContainEqual(['staff.issue-link', id]);
  });

  it('an invitation from before (two live links) keeps none once one of them is used', async () => {
    const { id, links } = await invite('di@clinic.example', 'Di Reception');
    // The second link the old version showed the admin, still live in the table after the upgrade.
    const shown = newSecretToken();
    await app.db.tx((ctx) =>
      ctx.db.insert(ctx.t.staffTokens).values({
        id: tokenId(shown),
        purpose: 'set-password',
        accountId: id,
        expiresAt: new Date(app.clock.now().getTime() + 24 * 3_600_000),
        createdAt: app.clock.now(),
      }),
    );
    const old = `/staff/set-password?token=${shown}`;
    expect((await app.http.request(old)).status).toBe(200);
    expect(await choose(links[0]!, 'di chooses a long password')).toBe(200);
    expect((await app.http.request(old)).status).toBe(410);
    expect(await choose(old, 'an attacker overwrites it')).toBe(410);
    await signedInAs(app, 'di@clinic.example', { password: 'di chooses a long password' });
  });

  it('no new link for a member who has a password: an admin cannot take over an account', async () => {
    const { account } = await staffMember(app, 'practitioner');
    await admin.text(await admin.get('/staff/admin/staff'));
    const res = await admin.post(`/staff/admin/staff/${account.id}/invitation-link`);
    expect(res.status).toBe(409);
    expect(linksIn(await admin.text(res))).toEqual([]);
  });
});
