import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../../testing/process.ts';
import { handshakeAsTheCa, httpsGet, selfSignedCertificate, servedSerial } from '../../testing/tls.ts';

/*
 * TLS-ALPN-01 renewals happen while the clinic is served on the same port: the running server
 * hands the CA's acme-tls/1 connections to the challenge's answer and keeps serving every other
 * connection — with the client's address — before, during and after, on both runtimes (Bun.serve
 * cannot negotiate acme-tls/1: there a front takes the port for the challenge's time).
 */
const folder = mkdtempSync(join(tmpdir(), 'clinicbox-divert-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const KEY_AUTHORIZATION = 'token-123.thumbprint-456';

/** The CA's handshake with this test's key authorization. */
const asTheCa = (port: number) => handshakeAsTheCa(port, KEY_AUTHORIZATION);

describe.each(['node', 'bun'] as const)(
  'a TLS-ALPN-01 challenge answered on the HTTPS port, under %s',
  (runtime) => {
    it('answers acme-tls/1 only while diverting, and serves HTTPS throughout, a renewal too', async () => {
      const cert = join(folder, `${runtime}.crt`);
      const key = join(folder, `${runtime}.key`);
      selfSignedCertificate(cert, key, 1, 'DNS:localhost');
      const server = await startCli([cert, key], /READY (\d+)/, {
        entry: 'src/testing/divert-alpn-entry.ts',
        runtime,
        stdin: true,
      });
      const port = Number(server.match[1]);
      const said = (word: string) =>
        new Promise<void>((resolve) =>
          server.child.stdout?.on('data', (d) => String(d).includes(word) && resolve()),
        );
      // A new connection per request, as many clients make: each one passes through the choice.
      const get = () => httpsGet(`https://127.0.0.1:${port}/`, { rejectUnauthorized: false, agent: false });
      // Requests running back to back all along, across the switches.
      let running = true;
      const answered: string[] = [];
      const loop = (async () => {
        while (running)
          answered.push(
            await get().then(
              (r) => `${r.status} ${r.body}`,
              (e: Error) => e.message,
            ),
          );
      })();
      try {
        expect(await asTheCa(port)).toMatchObject({ answersChallenge: false });

        const diverted = said('DIVERTED');
        server.child.stdin?.write(`divert ${KEY_AUTHORIZATION}\n`);
        await diverted;
        expect(await asTheCa(port)).toEqual({ protocol: 'acme-tls/1', answersChallenge: true });
        expect(await get()).toEqual({ status: 200, body: 'clinic 127.0.0.1' }); // the client's address kept
        const keptAlive = new Agent({ keepAlive: true, rejectUnauthorized: false });
        for (let i = 0; i < 3; i++) {
          expect((await httpsGet(`https://127.0.0.1:${port}/`, { agent: keptAlive })).body).toBe(
            'clinic 127.0.0.1',
          );
        }
        keptAlive.destroy();

        const ended = said('ENDED');
        server.child.stdin?.write('end\n');
        await ended;
        expect(await asTheCa(port)).toMatchObject({ answersChallenge: false });
        expect(await get()).toEqual({ status: 200, body: 'clinic 127.0.0.1' });

        // The renewed certificate, swapped in while requests run.
        const [cert2, key2] = [join(folder, `${runtime}-2.crt`), join(folder, `${runtime}-2.key`)];
        selfSignedCertificate(cert2, key2, 1, 'DNS:localhost');
        const swapped = said('SWAPPED');
        server.child.stdin?.write(`swap ${cert2} ${key2}\n`);
        await swapped;
        expect(await servedSerial(port)).toBe(new X509Certificate(readFileSync(cert2)).serialNumber);
      } finally {
        running = false;
        await loop;
        server.child.stdin?.write('close\n');
        await server.finished;
      }
      expect(answered.length).toBeGreaterThan(3);
      expect(answered.filter((a) => a !== '200 clinic 127.0.0.1')).toEqual([]);
    }, 60_000);
  },
);
