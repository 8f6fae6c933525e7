import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { execute } from '../../db/client.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testBrowser } from '../../testing/browser.ts';
import { signedInAs, signedInStaff, staffMember } from '../../testing/signed-in.ts';

/**
 * Session changes and their audit rows happen together (DESIGN: every change audited in its
 * transaction): when the audit row cannot be written, the change does not happen either.
 */
describe('staff session changes are audited in their own transaction', () => {
  let app: TestApp;
  afterEach(() => app.destroy());

  /** Makes every audit insert of these actions fail, as a full disk or a broken chain would. */
  async function failAuditOf(...actions: string[]) {
    const list = actions.map((a) => `'${a}'`).join(', ');
    await app.db.tx(async (ctx) => {
      if (ctx.dialect === 'sqlite') {
        await execute(
          ctx,
          sql.raw(`create trigger test_fail_audit before insert on audit_log when new.action in (${list})
            begin select raise(abort, 'audit unavailable'); end`),
        );
      } else {
        await execute(
          ctx,
          sql.raw(`create function test_fail_audit() returns trigger language plpgsql as $$
            begin if new.action in (${list}) then raise exception 'audit unavailable'; end if; return new; end $$`),
        );
        await execute(
          ctx,
          sql.raw(
            'create trigger test_fail_audit before insert on audit_log for each row execute function test_fail_audit()',
          ),
        );
      }
    });
  }
  const sessionCount = async () =>
    (await app.db.reader.db.select().from(app.db.reader.t.staffSessions)).length;

  it('no session starts when its sign-in cannot be audited', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { account, password } = await staffMember(app, 'reception');
    await failAuditOf('staff.sign-in');
    const b = testBrowser(app.http);
    const res = await b.signIn(account.email, password);
    expect(res.status).toBe(500);
    expect(await sessionCount()).toBe(0);
    expect((await b.get('/staff')).status).toBe(303);
  });

  it('signing out, or out of another device, happens with its audit row or not at all', async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    const { account: bo, browser: desk } = await signedInStaff(app, 'reception', {
      browser: { userAgent: 'Desk PC' },
    });
    const tablet = await signedInAs(app, bo.email, { browser: { userAgent: 'Tablet' } });
    const tabletSession = (await app.deps.staff.sessions.list(bo.id)).find((s) => s.userAgent === 'Tablet')!;

    await failAuditOf('staff.session-revoke', 'staff.sign-out');
    await desk.text(await desk.get('/staff/account'));
    expect((await desk.post(`/staff/account/sessions/${tabletSession.id}/revoke`)).status).toBe(500);
    expect((await tablet.get('/staff')).status).toBe(200);

    await tablet.text(await tablet.get('/staff/account'));
    expect((await tablet.post('/staff/logout')).status).toBe(500);
    expect((await tablet.get('/staff')).status).toBe(200);
    expect(await sessionCount()).toBe(2);
  });

  it('starting authenticator set-up (a pending secret) is audited, once per secret', async () => {
    app = await createTestApp();
    const { account: bo, password } = await staffMember(app, 'reception');
    const b = testBrowser(app.http);
    await b.signIn(bo.email, password); // to the authenticator set-up: the app requires a second factor
    expect((await b.get('/staff/setup/totp')).status).toBe(200);
    expect((await b.get('/staff/setup/totp')).status).toBe(200); // a reload shows the same secret
    const begun = (await app.deps.audit.list({ limit: 20 })).filter((r) => r.action === 'staff.mfa-begin');
    expect(begun).toHaveLength(1);
    expect(begun[0]).toMatchObject({ actorId: bo.id, entityId: bo.id });
  });
});
