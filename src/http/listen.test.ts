import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../testing/process.ts';
import { listen } from './listen.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('listening', () => {
  it('on close, finishes in-flight requests within the grace period and refuses new ones', async () => {
    const server = await listen(
      async (req) => {
        if (new URL(req.url).pathname === '/slow') await sleep(300);
        return new Response('done');
      },
      { port: 0, host: '127.0.0.1' },
    );
    const inFlight = fetch(`${server.url}/slow`).then((r) => r.text());
    await sleep(50);
    const closing = server.close(5_000);
    await sleep(20);
    await expect(fetch(`${server.url}/fast`)).rejects.toThrow();
    expect(await inFlight).toBe('done');
    await closing;
  });

  it('drops requests still running when the grace period ends', async () => {
    const server = await listen(
      async () => {
        await sleep(5_000);
        return new Response('too late');
      },
      { port: 0, host: '127.0.0.1' },
    );
    const inFlight = fetch(`${server.url}/`).then(
      (r) => r.text(),
      () => 'dropped',
    );
    await sleep(50);
    const started = Date.now();
    await server.close(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await inFlight).toBe('dropped');
  });

  // The binary serves with Bun.serve: the same promises, checked under Bun.
  describe('under Bun', () => {
    const bun = join(repoRoot, 'node_modules', '.bin', 'bun');
    const underBun = async () => {
      const child = spawn(bun, [join(repoRoot, 'src/testing/listen-under-bun.ts')], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const next = async () => String((await lines.next()).value ?? '');
      const url = (await next()).replace(/^READY /, '');
      const close = async (graceMs: number) => {
        child.stdin!.write(`close ${graceMs}\n`);
        return Number((await next()).replace(/^CLOSED /, ''));
      };
      return { url, close };
    };

    it('finishes in-flight requests within the grace period and refuses new ones', async () => {
      const server = await underBun();
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const inFlight = fetch(`${server.url}/slow`).then((r) => r.text());
      await sleep(50);
      const closing = server.close(5_000);
      await sleep(20);
      await expect(fetch(`${server.url}/fast`)).rejects.toThrow();
      expect(await inFlight).toBe('done');
      expect(await closing).toBeLessThan(5_000);
    });

    it('drops requests still running when the grace period ends', async () => {
      const server = await underBun();
      const inFlight = fetch(`${server.url}/stuck`).then(
        (r) => r.text(),
        () => 'dropped',
      );
      await sleep(50);
      expect(await server.close(200)).toBeLessThan(2_000);
      expect(await inFlight).toBe('dropped');
    });
  });

  it('serves HTTPS with --tls-cert and --tls-key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clinicbox-tls-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const server = await listen(async () => new Response('secure'), {
      port: 0,
      host: '127.0.0.1',
      tls: { certPath: cert, keyPath: key },
    });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const body = await new Promise<string>((resolve, reject) => {
      request(`${server.url}/`, { rejectUnauthorized: false }, (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    expect(body).toBe('secure');
    await server.close(1000);
  });
});
