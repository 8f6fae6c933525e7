import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.ts';
import { createTestApp, type TestApp } from '../../src/testing/app.ts';
import { testBrowser } from '../../src/testing/browser.ts';
import { runCli, startCli } from '../../src/testing/process.ts';
import { STAFF_PASSWORD, staffMember } from '../../src/testing/signed-in.ts';

/*
 * Behind a reverse proxy every request arrives from the proxy's address. Before --trust-proxy the
 * per-address limits therefore counted every user together: one client's ten wrong passwords
 * locked all staff out of signing in, and its code requests all patients out of codes. Now the
 * client address comes from X-Forwarded-For / Forwarded, but only on connections from a proxy the
 * operator named, walking from the right to the first address that is not a trusted proxy.
 */
const PROXY = '10.0.0.1';
const WRONG = 'not the password at all';
/** A different account per wrong attempt: the per-account delay (seconds after a few) stays out of the way. */
const someone = (i: number) => `someone-${i}@clinic.example`;

describe('per-address limits behind a reverse proxy', () => {
  let app: TestApp;
  afterEach(() => app.destroy());

  const start = async (config: Partial<Config> = {}) => {
    app = await createTestApp({ config: { staffMfa: 'optional', trustProxy: ['10.0.0.0/24'], ...config } });
    return (await staffMember(app, 'reception')).account.email;
  };
  /** The addresses the failed sign-ins were audited from, oldest first. */
  const failedFrom = async () =>
    (await app.deps.audit.list())
      .filter((r) => r.action === 'staff.sign-in-failed')
      .map((r) => r.ip)
      .reverse();

  it('ignores X-Forwarded-For and Forwarded from a peer that is not a trusted proxy', async () => {
    const email = await start();
    const attacker = testBrowser(app.http, { ip: '203.0.113.7' });
    for (let i = 0; i < 10; i++) {
      // A fresh made-up address on every attempt, in both headers.
      const spoofed = { 'x-forwarded-for': `198.51.100.${i}`, forwarded: `for=192.0.2.${i}` };
      expect((await attacker.signIn(someone(i), WRONG, spoofed)).status).toBe(401);
    }
    const res = await attacker.signIn(email, WRONG, { 'x-forwarded-for': '198.51.100.99' });
    expect(res.status).toBe(429);
    expect(await failedFrom()).toEqual(Array(10).fill('203.0.113.7'));
  });

  it('through a trusted proxy, two clients have separate limits, and prefixing made-up hops does not help', async () => {
    const email = await start();
    const viaProxy = testBrowser(app.http, { ip: PROXY });
    // Client A writes its own X-Forwarded-For; the proxy appends the address A connected from.
    const fromA = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}, 198.51.100.1` });
    for (let i = 0; i < 10; i++)
      expect((await viaProxy.signIn(someone(i), WRONG, fromA(i))).status).toBe(401);
    const limited = await viaProxy.signIn(email, WRONG, fromA(99));
    expect(limited.status).toBe(429);
    // Slowed down, not locked out: told when to come back, within two minutes.
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);

    // Client B, through the same proxy, signs in as if nothing happened (its own address).
    const fromB = { 'x-forwarded-for': '198.51.100.2' };
    expect((await testBrowser(app.http, { ip: PROXY }).signIn(email, WRONG, fromB)).status).toBe(401);
    const b = testBrowser(app.http, { ip: PROXY });
    const signedIn = await b.signIn(email, STAFF_PASSWORD, fromB);
    expect([signedIn.status, signedIn.headers.get('location')]).toEqual([303, '/staff']);
    expect(await failedFrom()).toEqual([...Array(10).fill('198.51.100.1'), '198.51.100.2']);
  });

  it('reads Forwarded (RFC 7239) through a chain of trusted proxies, IPv6 and ports included', async () => {
    await start({ patientCodeIpLimit: 2 });
    // Two proxies: the client's own hop, then 10.0.0.2, which connected to the last one (10.0.0.1).
    const via = (client: string) => ({
      forwarded: `for=192.0.2.66;proto=https, for="${client}";proto=https, for=10.0.0.2`,
    });
    const codeFor = (n: number, headers: Record<string, string>) =>
      testBrowser(app.http, { ip: PROXY }).json(
        'POST',
        '/api/v1/auth/start',
        { email: `p${n}@example.org` },
        headers,
      );
    const c1 = via('[2001:db8:cafe::17]:4711');
    expect((await codeFor(1, c1)).status).toBe(202);
    expect((await codeFor(2, c1)).status).toBe(202);
    expect((await codeFor(3, c1)).status).toBe(429);
    // The same client written another way is the same client.
    expect((await codeFor(4, via('[2001:db8:cafe:0::17]'))).status).toBe(429);
    // Another patient behind the same proxies still gets codes.
    expect((await codeFor(5, via('198.51.100.7:51000'))).status).toBe(202);
  });
});

describe('--trust-proxy on the command line', () => {
  /** `clinicbox serve` on any free port and a fresh data folder, with `flags`. */
  const serve = (...flags: string[]) => [
    'serve',
    '--port',
    '0',
    '--data-dir',
    join(mkdtempSync(join(tmpdir(), 'clinicbox-proxy-')), 'data'),
    ...flags,
  ];

  it('refuses an entry that is no address or CIDR range, naming the setting, before anything starts', async () => {
    const bad = await runCli(serve('--trust-proxy', '10.0.0.1,proxy.lan'));
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'clinicbox: --trust-proxy: expected empty or comma-separated IP addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8), got "10.0.0.1,proxy.lan"',
    );
  }, 30_000);

  // The binary serves with Bun.serve, `npm start` with @hono/node-server: each gives the
  // connection's address its own way (listen.ts), and both must be matched against the proxies.
  for (const runtime of ['node', 'bun'] as const) {
    it(`gives each client behind the proxy its own limit when served by ${runtime}`, async () => {
      const { child, match, finished } = await startCli(
        serve('--trust-proxy', '127.0.0.1', '--patient-code-ip-limit', '1'),
        /Open (http:\/\/[^/\s]+)\//,
        { runtime, timeoutMs: 60_000 },
      );
      try {
        const codeFor = (n: number, client: string) =>
          fetch(`${match[1]}/api/v1/auth/start`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
            body: JSON.stringify({ email: `p${n}@example.org` }),
          }).then((r) => r.status);
        expect(await codeFor(1, '198.51.100.1')).toBe(202);
        expect(await codeFor(2, '198.51.100.1')).toBe(429);
        expect(await codeFor(3, '198.51.100.2')).toBe(202);
      } finally {
        child.kill('SIGTERM');
        await finished;
      }
    }, 90_000);
  }
});
