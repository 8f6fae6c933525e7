import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { newSecretToken, tokenId } from '../../src/lib/ids.ts';
import { type AppWithSinks, createAppWithSinks } from '../../src/testing/app-with-sinks.ts';
import { testBrowser } from '../../src/testing/browser.ts';
import { jobsDone } from '../../src/testing/jobs.ts';
import { postSignIn, staffMember } from '../../src/testing/signed-in.ts';
import { enrolTotp, signedInWithCode } from '../../src/testing/totp.ts';
import { until } from '../../src/testing/wait.ts';

/*
 * Issue 15, item 23: "Forgot password?" on the staff sign-in page. A reset link by email (through
 * the job queue), the same answer whatever the address, limited per client address and per
 * account; the link works once, for an hour, ends the account's other links and every session;
 * the sign-in after it still asks for the second factor; audited.
 */
const ORIGIN = 'https://clinic.example';
const NEW_PASSWORD = 'a brand new long passphrase';

describe('staff password reset (issue 15, item 23)', () => {
  let app: AppWithSinks;
  beforeAll(async () => {
    app = await createAppWithSinks({ config: { staffMfa: 'required', baseUrl: ORIGIN } });
  });
  afterAll(() => app.destroy());

  let addresses = 0;
  /** Asks for a reset link for `email` from the form, from a network address of its own unless given. */
  async function ask(email: string, ip = `10.20.0.${++addresses}`) {
    const browser = testBrowser(app.http, { origin: ORIGIN, ip });
    const form = await browser.text(await browser.get('/staff/login/forgot'));
    expect(form).toContain('Email me a link');
    const res = await browser.post('/staff/login/forgot', { email });
    return { status: res.status, page: await res.text() };
  }
  const linksIn = (text: string) =>
    [...text.matchAll(/\/staff\/login\/reset\?token=[\w-]{43}/g)].map((m) => m[0]);
  /**
   * The reset links emailed to `email`, oldest first, once `count` have arrived (the worker sends
   * them; waiting for the mails, not for the queue to look idle, which a claim can race).
   */
  async function emailedLinks(email: string, count: number): Promise<string[]> {
    await until(`${count} reset emails to ${email}`, async () => app.mailsTo(email).length >= count, 30_000);
    return app.mailsTo(email).flatMap((m) => linksIn(m.text ?? ''));
  }
  let holders = 0;
  /** Chooses `password` through `link` as its holder would (the form's CSRF token first). */
  async function choose(link: string, password: string) {
    const holder = testBrowser(app.http, { origin: ORIGIN, ip: `10.30.0.${++holders}` });
    const form = await holder.get(link);
    if (form.status !== 200) return form.status;
    await holder.text(form);
    return (await holder.post(link, { password })).status;
  }

  it('the sign-in page links to it; the same answer for a member, an unknown address and a deactivated member', async () => {
    const signIn = await app.http.request('/staff/login');
    expect(await signIn.text()).toContain('<a href="/staff/login/forgot">Forgot password?</a>');
    const member = (await staffMember(app, 'reception', { email: 'rae@clinic.example' })).account;
    const gone = (await staffMember(app, 'practitioner', { email: 'gone@clinic.example' })).account;
    await app.deps.staff.accounts.deactivate(systemActor, gone.id);

    const answers = await Promise.all(
      ['RAE@clinic.example', 'nobody@clinic.example', 'gone@clinic.example'].map(async (email) => {
        const { status, page } = await ask(email);
        return {
          status,
          page: page.replace(/name="_csrf" value="[^"]*"/, '').replace(email.toLowerCase(), '@'),
        };
      }),
    );
    expect(answers[0]!.status).toBe(200);
    expect(answers[0]!.page).toContain('is the address of an active staff account, a link');
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);

    expect(await emailedLinks('rae@clinic.example', 1)).toHaveLength(1);
    expect(app.mailsTo('nobody@clinic.example')).toEqual([]);
    expect(app.mailsTo('gone@clinic.example')).toEqual([]);
    const mail = app.mailsTo('rae@clinic.example')[0]!;
    expect(mail.subject).toBe('Reset your Clinicbox password');
    expect(mail.text).toContain(`${ORIGIN}/staff/login/reset?token=`);
    // Each request is audited; the account only when there is one.
    const rows = (await app.deps.audit.list({ limit: 50 })).filter(
      (r) => r.action === 'staff.password-reset-request',
    );
    expect(rows.map((r) => r.entityId ?? null).sort()).toEqual([member.id, null, null].sort());
  });

  it('the link sets a new password once, ends every session and the other links, and the second factor is still asked', async () => {
    const { account } = await staffMember(app, 'admin', { email: 'ida@clinic.example' });
    const secret = await enrolTotp(app, account.id);
    const signedIn = await signedInWithCode(app, 'ida@clinic.example', secret, {
      browser: { origin: ORIGIN, ip: '10.40.0.1' },
    });
    expect((await signedIn.get('/staff')).status).toBe(200);

    expect((await ask('ida@clinic.example')).status).toBe(200);
    const [link] = await emailedLinks('ida@clinic.example', 1);
    // Another live link of the account (an invitation link of an older version, say).
    const other = newSecretToken();
    await app.db.tx((ctx) =>
      ctx.db.insert(ctx.t.staffTokens).values({
        id: tokenId(other),
        purpose: 'reset-password',
        accountId: account.id,
        expiresAt: new Date(app.clock.now().getTime() + 3_600_000),
        createdAt: app.clock.now(),
      }),
    );
    const otherLink = `/staff/login/reset?token=${other}`;
    expect((await app.http.request(otherLink)).status).toBe(200);

    expect(await choose(link!, NEW_PASSWORD)).toBe(200);
    expect(await choose(link!, 'an attacker tries it again')).toBe(410);
    expect(await choose(otherLink, 'an attacker tries it again')).toBe(410);
    // The session from before is over.
    const after = await signedIn.get('/staff');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/staff\/login/);
    // The old password no longer works; the new one leads to the second factor, not in.
    const old = testBrowser(app.http, { origin: ORIGIN, ip: '10.40.0.2' });
    expect((await old.signIn('ida@clinic.example', 'purple tractor sings softly')).status).toBe(401);
    await postSignIn(app, 'ida@clinic.example', '/staff/login/code?next=%2Fstaff', {
      password: NEW_PASSWORD,
      browser: { origin: ORIGIN, ip: '10.40.0.3' },
    });
    await signedInWithCode(app, 'ida@clinic.example', secret, {
      password: NEW_PASSWORD,
      browser: { origin: ORIGIN, ip: '10.40.0.4' },
    });
    const audit = await app.deps.audit.list({ limit: 50 });
    expect(audit.map((r) => [r.action, r.entityId])).toContainEqual(['staff.password-reset', account.id]);
  });

  it('a link lasts an hour, and a newer one replaces it', async () => {
    await staffMember(app, 'practitioner', { email: 'hal@clinic.example' });
    await ask('hal@clinic.example');
    const [first] = await emailedLinks('hal@clinic.example', 1);
    await ask('hal@clinic.example');
    const [, second] = await emailedLinks('hal@clinic.example', 2);
    expect(await choose(first!, NEW_PASSWORD)).toBe(410);
    expect((await app.http.request(second!)).status).toBe(200);
    app.clock.advance(61 * 60_000);
    const expired = await app.http.request(second!);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('Ask for a new link');
    expect(await choose(second!, NEW_PASSWORD)).toBe(410);
  });

  it('is limited per account (silently: the same answer) and per client address (429)', async () => {
    await staffMember(app, 'reception', { email: 'kim@clinic.example' });
    for (let i = 0; i < 4; i++) {
      const { status, page } = await ask('kim@clinic.example');
      expect(status).toBe(200);
      expect(page).toContain('is the address of an active staff account');
    }
    expect(await emailedLinks('kim@clinic.example', 3)).toHaveLength(3);
    // The fourth request made no job: nothing more comes.
    await jobsDone(app, 'accounts.send-password-reset');
    expect(app.mailsTo('kim@clinic.example')).toHaveLength(3);

    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await ask(`someone-${i}@clinic.example`, '10.50.0.1')).status);
    expect(answers).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
