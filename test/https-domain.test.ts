import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/testing/free-port.ts';
import { havePebble, type PebblePeer, startPebble } from '../src/testing/peers/pebble.ts';
import { startCli } from '../src/testing/process.ts';
import { httpsGet } from '../src/testing/tls.ts';

/*
 * Issue 21, HTTPS by itself, the way an admin runs it: `clinicbox serve --domain` obtains its
 * certificate from the CA (pebble) before it serves, on Node and on Bun (the binary's runtime),
 * and a browser that trusts the CA opens the staff sign-in over HTTPS; the printed links are the
 * domain's. A second start reuses the stored certificate.
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

  it.each(runtimes)(
    'serves the staff sign-in over HTTPS with a certificate it obtained, under %s',
    async (runtime) => {
      const port = await freePort();
      const server = await startCli(
        [
          'serve',
          '--data-dir',
          join(dataDir, runtime),
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
        ],
        /Open (https:\/\/\S+)\/staff\/login/,
        { runtime, timeoutMs: 60_000 },
      );
      try {
        expect(server.match[1]).toBe(`https://localhost:${port}`);
        // As a browser trusting only pebble's root would (localhost resolved as usual).
        const page = await httpsGet(`https://localhost:${port}/staff/login`, { ca: [root] });
        expect(page.status).toBe(200);
        expect(page.body).toContain('Sign in');
      } finally {
        server.child.kill('SIGTERM');
        const finished = await server.finished;
        expect(finished.stdout + finished.stderr).toContain('certificate obtained');
      }
    },
    90_000,
  );
});
