import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/testing/free-port.ts';
import { havePebble, type PebblePeer, startPebble } from '../src/testing/peers/pebble.ts';
import { startCli } from '../src/testing/process.ts';
import { httpsGet, refused } from '../src/testing/tls.ts';

/*
 * Issue 21, HTTPS by itself, the way an admin runs it: `clinicbox serve --domain` obtains its
 * certificate from the CA (pebble) before it serves, on Node and on Bun (the binary's runtime),
 * and a browser that trusts the CA opens the staff sign-in over HTTPS; the printed links are the
 * domain's. With `--acme-challenge tls-alpn-01` (a clinic that can open 443 only) the CA checks
 * the name on the HTTPS port itself and no plain-HTTP port is opened.
 */
const runtimes = ['node', 'bun'] as const;

describe.skipIf(!havePebble() && !process.env.CI)('serve --domain (ACME, pebble)', () => {
  let pebble: PebblePeer;
  let root: string;
  let dataDir: string;
  beforeAll(async () => {
    pebble = await startPebble();
    root = await pebble.root();
    dataDir = mkdtempSync(join(tmpdir(), 'clinicbox-domain-'));
  }, 30_000);
  afterAll(async () => {
    await pebble?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * Serves `--domain localhost` on `port` in a data folder of its own, checks the printed link and
   * the staff sign-in over HTTPS as a browser trusting only pebble's root would, runs `more`, and
   * at the end that the certificate was obtained (not reused).
   */
  async function servesSignIn(
    runtime: (typeof runtimes)[number],
    port: number,
    flags: string[],
    more: () => Promise<void> = async () => {},
  ) {
    const server = await startCli(
      [
        'serve',
        '--data-dir',
        join(dataDir, `${runtime}-${port}`),
        '--no-worker',
        '--domain',
        'localhost',
        '--port',
        String(port),
        '--http-port',
        String(pebble.httpPort),
        '--acme-directory',
        pebble.directoryUrl,
        '--acme-ca-file',
        pebble.caFile,
        ...flags,
      ],
      /Open (https:\/\/\S+)\/staff\/login/,
      { runtime, timeoutMs: 60_000 },
    );
    try {
      expect(server.match[1]).toBe(`https://localhost:${port}`);
      const page = await httpsGet(`https://localhost:${port}/staff/login`, { ca: [root] });
      expect(page.status).toBe(200);
      expect(page.body).toContain('Sign in');
      await more();
    } finally {
      server.child.kill('SIGTERM');
      const finished = await server.finished;
      expect(finished.stdout + finished.stderr).toContain('certificate obtained');
    }
  }

  it.each(runtimes)(
    'serves the staff sign-in over HTTPS with a certificate it obtained, under %s',
    async (runtime) => servesSignIn(runtime, await freePort(), []),
    90_000,
  );

  it.each(runtimes)(
    'tls-alpn-01: obtains its certificate on the HTTPS port, opens no plain-HTTP port, under %s',
    async (runtime) =>
      // pebble checks TLS-ALPN-01 on its tlsPort: the HTTPS port here.
      servesSignIn(runtime, pebble.tlsPort, ['--acme-challenge', 'tls-alpn-01'], async () => {
        expect(await refused(pebble.httpPort)).toBe(true);
      }),
    90_000,
  );
});
