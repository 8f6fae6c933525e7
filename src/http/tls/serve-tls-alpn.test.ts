import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { havePebble, type PebblePeer, startPebble } from '../../testing/peers/pebble.ts';
import { startCli } from '../../testing/process.ts';
import { httpsGet } from '../../testing/tls.ts';

/*
 * `clinicbox serve --domain … --acme-challenge tls-alpn-01`, the way an admin whose clinic can
 * open 443 only runs it: the certificate is obtained on the HTTPS port itself (pebble checks it
 * there), no plain-HTTP port is opened, and the staff sign-in is served over HTTPS with it — on
 * Node and on Bun (the binary's runtime, where a front holds the port).
 */
describe.skipIf(!havePebble() && !process.env.CI)(
  'serve --domain --acme-challenge tls-alpn-01 (pebble)',
  () => {
    let pebble: PebblePeer;
    let root: string;
    let dataDir: string;
    beforeAll(async () => {
      pebble = await startPebble();
      root = await pebble.root();
      dataDir = mkdtempSync(join(tmpdir(), 'clinicbox-alpn-'));
    }, 30_000);
    afterAll(async () => {
      await pebble?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it.each(['node', 'bun'] as const)(
      'obtains its certificate on the HTTPS port and serves the staff sign-in with it, under %s',
      async (runtime) => {
        const server = await startCli(
          [
            'serve',
            '--data-dir',
            join(dataDir, runtime),
            '--no-worker',
            '--domain',
            'localhost',
            '--port',
            String(pebble.tlsPort),
            '--http-port',
            String(pebble.httpPort),
            '--acme-challenge',
            'tls-alpn-01',
            '--acme-directory',
            pebble.directoryUrl,
            '--acme-ca-file',
            pebble.caFile,
          ],
          /Open (https:\/\/\S+)\/staff\/login/,
          { runtime, timeoutMs: 60_000 },
        );
        try {
          expect(server.match[1]).toBe(`https://localhost:${pebble.tlsPort}`);
          const page = await httpsGet(`https://localhost:${pebble.tlsPort}/staff/login`, { ca: [root] });
          expect(page.status).toBe(200);
          expect(page.body).toContain('Sign in');
          expect(await refused(pebble.httpPort)).toBe(true); // no plain-HTTP listener
        } finally {
          server.child.kill('SIGTERM');
          const finished = await server.finished;
          expect(finished.stdout + finished.stderr).toContain('certificate obtained');
        }
      },
      90_000,
    );
  },
);

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
