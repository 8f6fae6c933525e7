import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../../testing/process.ts';
import { selfSignedCertificate, servedSerial } from '../../testing/tls.ts';

/*
 * A renewed certificate reaches new connections without a restart on both runtimes: Node swaps
 * the TLS context in place, Bun opens a second server on the port before the first one stops.
 */
const folder = mkdtempSync(join(tmpdir(), 'clinicbox-swap-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function selfSigned(name: string): { cert: string; key: string; serial: string } {
  const cert = join(folder, `${name}.crt`);
  const key = join(folder, `${name}.key`);
  selfSignedCertificate(cert, key, 1, 'DNS:localhost');
  return { cert, key, serial: new X509Certificate(readFileSync(cert)).serialNumber };
}

describe.each(['node', 'bun'] as const)(
  'a certificate swapped into a running HTTPS server, under %s',
  (runtime) => {
    it('serves the new certificate to new connections, on the same port', async () => {
      const first = selfSigned(`${runtime}-first`);
      const second = selfSigned(`${runtime}-second`);
      const server = await startCli([first.cert, first.key], /READY (\d+)/, {
        entry: 'src/testing/certificate-swap-entry.ts',
        runtime,
        stdin: true,
      });
      const port = Number(server.match[1]);
      try {
        expect(await servedSerial(port)).toBe(first.serial);
        const swapped = new Promise<void>((resolve) =>
          server.child.stdout?.on('data', (d) => String(d).includes('SWAPPED') && resolve()),
        );
        server.child.stdin?.write(`swap ${second.cert} ${second.key}\n`);
        await swapped;
        expect(await servedSerial(port)).toBe(second.serial);
        expect(await servedSerial(port)).toBe(second.serial);
      } finally {
        server.child.stdin?.write('close\n');
        await server.finished;
      }
    }, 60_000);
  },
);
