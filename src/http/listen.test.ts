import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../testing/process.ts';
import { httpsGet, selfSignedCertificate } from '../testing/tls.ts';
import { gate } from '../testing/wait.ts';
import { listen } from './listen.ts';

describe('listening', () => {
  it('on close, finishes in-flight requests within the grace period and refuses new ones', async () => {
    const arrived = gate();
    const release = gate();
    const server = await listen(
      async (req) => {
        if (new URL(req.url).pathname === '/slow') {
          arrived.open();
          await release.opened;
        }
        return new Response('done');
      },
      { port: 0, host: '127.0.0.1' },
    );
    const inFlight = fetch(`${server.url}/slow`).then((r) => r.text());
    await arrived.opened;
    const closing = server.close(5_000); // stops accepting at once
    await expect(fetch(`${server.url}/fast`)).rejects.toThrow();
    release.open(); // the request in flight finishes after the close began
    expect(await inFlight).toBe('done');
    await closing;
  });

  it('drops requests still running when the grace period ends', async () => {
    const arrived = gate();
    const server = await listen(
      async () => {
        arrived.open();
        await gate().opened; // never answers
        return new Response('too late');
      },
      { port: 0, host: '127.0.0.1' },
    );
    const inFlight = fetch(`${server.url}/`).then(
      (r) => r.text(),
      () => 'dropped',
    );
    await arrived.opened;
    const started = Date.now();
    await server.close(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await inFlight).toBe('dropped');
  });

  // The binary serves with Bun.serve: the same promises, checked under Bun, over HTTP and (for
  // --acme-challenge tls-alpn-01) over HTTPS behind the node:net front that holds the port first.
  describe.each([
    {
      name: 'under Bun',
      scheme: 'http',
      args: (): string[] => [],
      get: (url: string) => fetch(url).then((r) => r.text()),
    },
    {
      name: 'under Bun, behind the TLS-ALPN-01 front',
      scheme: 'https',
      args: () => selfSigned('clinicbox-front-'),
      get: (url: string) => httpsGet(url, { rejectUnauthorized: false, agent: false }).then((r) => r.body),
    },
  ])('$name', ({ scheme, args, get }) => {
    it('finishes in-flight requests within the grace period and refuses new ones', async () => {
      const server = await underBun(...args());
      expect(server.url).toMatch(new RegExp(`^${scheme}://127\\.0\\.0\\.1:\\d+$`));
      expect(await get(`${server.url}/fast`)).toBe('done');
      const inFlight = get(`${server.url}/slow`);
      await server.arrived();
      const { took } = await server.close(5_000);
      await expect(get(`${server.url}/fast`)).rejects.toThrow();
      expect(await inFlight).toBe('done');
      expect(await took).toBeLessThan(5_000);
    });

    it('drops requests still running when the grace period ends', async () => {
      const server = await underBun(...args());
      const inFlight = get(`${server.url}/stuck`).catch(() => 'dropped');
      await server.arrived();
      expect(await (await server.close(200)).took).toBeLessThan(2_000);
      expect(await inFlight).toBe('dropped');
    });
  });

  it('serves HTTPS with --tls-cert and --tls-key', async () => {
    const [cert, key] = selfSigned('clinicbox-tls-');
    const server = await listen(async () => new Response('secure'), {
      port: 0,
      host: '127.0.0.1',
      tls: { certPath: cert, keyPath: key },
    });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { body } = await httpsGet(`${server.url}/`, { rejectUnauthorized: false });
    expect(body).toBe('secure');
    await server.close(1000);
  });
});

/** A day's self-signed certificate and its key (selfSignedCertificate) in a new folder `prefix…`: their paths. */
function selfSigned(prefix: string): [string, string] {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  selfSignedCertificate(cert, key, 1);
  return [cert, key];
}

/**
 * `src/testing/listen-under-bun.ts` (listen() under Bun; with `cert key`, behind the TLS-ALPN-01
 * front): its URL, `arrived()` once a slow request is in the server's hands, and `close(grace)`,
 * which resolves once the server no longer accepts, with the time the close then took.
 */
async function underBun(...args: string[]) {
  const bun = join(repoRoot, 'node_modules', '.bin', 'bun');
  const child = spawn(bun, [join(repoRoot, 'src/testing/listen-under-bun.ts'), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => String((await lines.next()).value ?? '');
  const url = (await next()).replace(/^READY /, '');
  const arrived = async () => expect(await next()).toBe('ARRIVED');
  const close = async (graceMs: number) => {
    child.stdin!.write(`close ${graceMs}\n`);
    expect(await next()).toBe('CLOSING');
    return { took: next().then((line) => Number(line.replace(/^CLOSED /, ''))) };
  };
  return { url, arrived, close };
}
