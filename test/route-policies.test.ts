import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { can, type Permission, staffRoles } from '../src/domain/accounts/index.ts';
import { systemActor } from '../src/domain/audit/index.ts';
import { testBrowser } from '../src/testing/browser.ts';
import { samplePdf } from '../src/testing/documents.ts';
import { suiteApp } from '../src/testing/lifecycle.ts';
import { patientOnRecord, signedInStaff, staffMember } from '../src/testing/signed-in.ts';

/**
 * Every route declares who may call it (DESIGN: authorization at the gateway). This walks the one
 * route table and fails on any route without a policy, then checks every role against every
 * staff page that needs a permission.
 */

describe('the route table', () => {
  const app = suiteApp({ config: { staffMfa: 'optional' } });

  const routes = () => {
    const byRoute = new Map<string, string[]>();
    for (const r of app().http.routes) {
      if (r.method === 'ALL') continue; // middleware registered with use()
      const key = `${r.method} ${r.path}`;
      const policy = (r.handler as { policy?: string }).policy;
      byRoute.set(key, [...(byRoute.get(key) ?? []), ...(policy ? [policy] : [])]);
    }
    return byRoute;
  };

  /**
   * A patient on record, a practitioner made for the test (as the actor the services take) and
   * the starter template `name` of `kind` (a note's unless told) as that practitioner sees it.
   */
  async function practitionerWithStarter(name: string, kind?: 'form') {
    const patient = await patientOnRecord(app());
    const { account } = await staffMember(app(), 'practitioner');
    const actor = { type: 'staff' as const, id: account.id };
    const template = (await app().deps.templates.list(actor, kind)).find((t) => t.name === name)!;
    return { patient, actor, template };
  }

  /**
   * Walks every GET route with a parameter whose path matches `routesNaming` (filled in by
   * `pathOf`) as each staff role, and expects the roles that may read clinical records — and only
   * those — to be shown one of `secrets` somewhere (so the walk is not vacuous). Each role signs
   * in from an address of its own (`ipPrefix`.n): the sign-in limits count per address.
   */
  async function expectOnlyClinicalReaders(walk: {
    routesNaming: RegExp;
    pathOf(pattern: string): string;
    secrets: string[];
    ipPrefix: string;
    /** How many such routes there are at least (a walk of none would prove nothing). */
    atLeast: number;
  }) {
    const patterns = [...routes().keys()]
      .filter((key) => key.startsWith('GET ') && walk.routesNaming.test(key) && key.includes(':'))
      .map((key) => key.slice(4));
    expect(patterns.length).toBeGreaterThanOrEqual(walk.atLeast);
    for (const [i, role] of staffRoles.entries()) {
      const { browser } = await signedInStaff(app(), role, { browser: { ip: `${walk.ipPrefix}.${i + 1}` } });
      let seen = 0;
      for (const pattern of patterns) {
        const res = await browser.get(walk.pathOf(pattern));
        const text = await res.text();
        if (res.status < 400 && walk.secrets.some((x) => text.includes(x))) seen += 1;
      }
      expect({ role, reads: seen > 0 }).toEqual({ role, reads: can(role, 'clinical.read') });
    }
  }

  it('has a policy on every route', () => {
    const all = routes();
    expect(all.size).toBeGreaterThan(15);
    const missing = [...all].filter(([, policies]) => policies.length === 0).map(([key]) => key);
    expect(missing).toEqual([]);
  });

  it('answers each role as the permission table says, on every staff page that needs a permission', async () => {
    const pages = [...routes()]
      .filter(
        ([key, [policy]]) =>
          key.startsWith('GET /staff/') &&
          !key.includes(':') &&
          policy &&
          !['public', 'password', 'staff'].includes(policy),
      )
      .map(([key, [policy]]) => [key.slice(4), policy as Permission] as const);
    expect(pages.length).toBeGreaterThan(2);
    for (const role of staffRoles) {
      const { browser } = await signedInStaff(app(), role);
      for (const [path, permission] of pages) {
        const status = (await browser.get(path)).status;
        expect({ role, path, status }).toEqual({ role, path, status: can(role, permission) ? 200 : 403 });
      }
    }
  });

  it('shows each role only the sections it may open, and every one of them works', async () => {
    for (const role of staffRoles) {
      const { browser } = await signedInStaff(app(), role);
      const today = await browser.text(await browser.get('/staff'));
      const nav = /<nav aria-label="Main">([\s\S]*?)<\/nav>/.exec(today)![1]!;
      const links = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThan(2);
      for (const href of links) {
        const res = await browser.get(href);
        const page = await res.text();
        expect({ role, href, status: res.status }).toEqual({ role, href, status: 200 });
        expect(page, `${role} ${href}`).not.toContain('not available yet');
      }
      expect(links.includes('/staff/settings')).toBe(can(role, 'settings.manage'));
    }
  });

  /**
   * Clinical documents (referral, lab-result, imaging, letter, consent) need `clinical.read`: a
   * role without it gets nothing of one from any route that names a document or a chart's
   * documents — not its bytes, not its title, not its id in a list.
   */
  it('keeps clinical documents from every role without clinical.read, on every documents route', async () => {
    const patient = await patientOnRecord(app());
    const doc = await app().deps.documents.upload(systemActor, patient.id, {
      file: Readable.from([samplePdf('clinical secret')]),
      fileName: 'lab.pdf',
      fields: { category: 'lab-result', title: 'Haemoglobin result' },
    });
    await expectOnlyClinicalReaders({
      routesNaming: /\/documents/,
      pathOf: (pattern) =>
        pattern
          .replace(/:docId\b/, doc.id)
          .replace(/\/documents\/:id/, `/documents/${doc.id}`)
          .replace(/:id\b/, patient.id),
      secrets: [doc.id, 'Haemoglobin', 'clinical secret'],
      ipPrefix: '10.88.0',
      atLeast: 3,
    });
  });

  /**
   * Treatment notes need `clinical.read`: every GET route that names a note or a chart's notes
   * gives a role without it nothing of one — not its text, not its id — only a chart's count.
   */
  it('keeps treatment notes from every role without clinical.read, on every notes route', async () => {
    const { patient, actor, template: soap } = await practitionerWithStarter('SOAP note');
    const note = await app().deps.notes.create(actor, patient.id, {
      templateId: soap.id,
      answers: { subjective: 'clinical secret words' },
    });
    await expectOnlyClinicalReaders({
      routesNaming: /\/notes/,
      pathOf: (pattern) => pattern.replace(/\/notes\/:id/, `/notes/${note.id}`).replace(/:id\b/, patient.id),
      secrets: [note.id, 'clinical secret'],
      ipPrefix: '10.89.0',
      atLeast: 2,
    });
  });

  /**
   * Patients' form answers need `clinical.read`: every GET route that names a form gives a role
   * without it none of the answers (the front desk sees a chart's forms and their status only).
   */
  it('keeps patients’ form answers from every role without clinical.read, on every forms route', async () => {
    const { patient, actor, template: history } = await practitionerWithStarter('Medical history', 'form');
    const form = await app().deps.forms.send(actor, patient.id, { templateId: history.id });
    await app().deps.forms.saveOwn({ type: 'patient', id: patient.id }, form.id, {
      version: 1,
      answers: { allergies: 'clinical secret allergy' },
    });
    await expectOnlyClinicalReaders({
      routesNaming: /\/forms/,
      pathOf: (pattern) => pattern.replace(/:formId\b/, form.id).replace(/:id\b/, patient.id),
      secrets: ['clinical secret'],
      ipPrefix: '10.90.0',
      atLeast: 2,
    });
  });

  /**
   * Every /staff and /api route (GET and POST, :param routes with an unknown id, JSON for the
   * API) for each staff role and for nobody signed in: the gateway's answer must be the one the
   * route's declared policy gives. What the handler does after letting a caller through (a 404
   * for the unknown id, a 422 for the empty form) is not judged here, only who got past.
   */
  it('answers every staff and API route, for each role and for nobody, as its declared policy says', async () => {
    const walk = [...routes()]
      .map(([key, [policy]]) => {
        const [method, path] = key.split(' ') as [string, string];
        return { method, path, policy: policy! };
      })
      .filter(
        (r) =>
          (r.path.startsWith('/staff') || r.path.startsWith('/api/')) &&
          r.policy !== 'public' &&
          r.path !== '/staff/logout', // would end the walk's own session (its policy: 'password')
      );
    expect(walk.length).toBeGreaterThan(60);
    expect(walk.some((r) => r.method === 'POST' && r.path.includes('/:id'))).toBe(true);

    type Who = (typeof staffRoles)[number] | 'anonymous';
    let ip = 0;
    const outcomes: string[] = [];
    for (const who of [...staffRoles, 'anonymous'] as Who[]) {
      const browser =
        who === 'anonymous' ? testBrowser(app().http) : (await signedInStaff(app(), who)).browser;
      if (who === 'anonymous') await browser.text(await browser.get('/staff/login'));
      const cookie = () => [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      for (const { method, path: pattern, policy } of walk) {
        const path = pattern.replace(/:(\w+)/g, 'no-such-$1');
        const api = path.startsWith('/api/');
        // The token in the header too, as htmx sends it (streamed uploads take it only there).
        const headers: Record<string, string> = {
          cookie: cookie(),
          origin: 'http://localhost',
          'x-csrf-token': browser.cookies.get('cb_csrf') ?? '',
        };
        let body: string | undefined;
        if (method !== 'GET') {
          headers['content-type'] = api ? 'application/json' : 'application/x-www-form-urlencoded';
          body = api ? '{}' : new URLSearchParams({ _csrf: browser.cookies.get('cb_csrf') ?? '' }).toString();
        }
        // Each from its own address: the sign-in limits count per address and are not under test.
        const res = await app().http.request(
          `http://localhost${path}`,
          { method, headers, ...(body === undefined ? {} : { body }) },
          { ip: `10.77.${Math.floor(ip / 250)}.${ip++ % 250}` },
        );
        const text = await res.text();
        const toSignIn = res.status === 303 && (res.headers.get('location') ?? '').startsWith('/staff/login');
        const got = api
          ? res.status === 401 && /"code":"unauthorized"/.test(text)
            ? 'sign-in'
            : res.status === 403 && /"code":"forbidden"/.test(text)
              ? 'forbidden'
              : 'through'
          : toSignIn
            ? 'sign-in'
            : res.status === 403 && text.includes('Your role does not allow this')
              ? 'forbidden'
              : 'through';
        // `P|patient`: staff are judged by P (a patient session is another test's business).
        const permission = policy.split('|')[0]!;
        const expected: string =
          policy === 'patient' || policy === 'patient-session'
            ? 'sign-in' // staff are not patients
            : who === 'anonymous'
              ? 'sign-in'
              : permission === 'password' || permission === 'staff'
                ? 'through'
                : can(who, permission as Permission)
                  ? 'through'
                  : 'forbidden';
        if (got !== expected)
          outcomes.push(
            `${who} ${method} ${pattern} (${policy}): ${got} (${res.status}), expected ${expected}`,
          );
      }
    }
    expect(outcomes).toEqual([]);
  }, 120_000);
});
