import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/log.ts';
import { freePort } from '../../testing/free-port.ts';
import { havePebble, type PebblePeer, startPebble } from '../../testing/peers/pebble.ts';
import { handshakeAsTheCa, httpsGet, refused } from '../../testing/tls.ts';
import { type Listening, listen } from '../listen.ts';
import { CertificateUnavailable, type ManagedHttpsSettings, startManagedHttps } from './managed-https.ts';

/*
 * Issue 21, HTTPS by itself: a certificate obtained from a real ACME CA (Debian's pebble, which
 * connects back to our plain-HTTP listener to check the HTTP-01 answer), served, kept across a
 * restart, renewed into the running server when due, and a clear refusal when the CA cannot be
 * reached. CI installs pebble; elsewhere the tests are skipped when it is missing.
 */
const log = createLogger({ level: process.env.DEBUG_ACME ? 'debug' : 'error' });
const YEAR_MS = 365 * 86_400_000;

describe.skipIf(!havePebble() && !process.env.CI)('HTTPS by itself over ACME (pebble)', () => {
  let pebble: PebblePeer;
  let root: string;
  const folders: string[] = [];
  beforeAll(async () => {
    pebble = await startPebble();
    root = await pebble.root();
  }, 30_000);
  afterAll(async () => {
    await pebble?.stop();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });

  describe('HTTP-01', () => {
    const settingsFor = async (dataPath: string): Promise<ManagedHttpsSettings> => ({
      domain: 'localhost',
      directoryUrl: pebble.directoryUrl,
      email: 'admin@clinic.example',
      caFile: pebble.caFile,
      renewDays: 30,
      challenge: 'http-01',
      httpPort: pebble.httpPort,
      dataPath,
      host: '127.0.0.1',
      httpsPort: await freePort(),
    });
    const dataFolder = () => {
      const f = mkdtempSync(join(tmpdir(), 'clinicbox-acme-'));
      folders.push(f);
      return f;
    };
    const serveHttps = (settings: ManagedHttpsSettings, certificate: { cert: string; key: string }) =>
      listen(async () => new Response('clinic'), {
        host: '127.0.0.1',
        port: settings.httpsPort,
        tls: certificate,
      });

    it('obtains a certificate the CA validated, serves HTTPS with it, and sends plain HTTP to HTTPS', async () => {
      const settings = await settingsFor(dataFolder());
      const managed = await startManagedHttps(settings, { log });
      const https = await serveHttps(settings, managed.certificate);
      try {
        const served = await peerCertificate(settings.httpsPort, root);
        expect(served.authorized, String(served.error)).toBe(true);
        expect(served.subjectAltName).toBe('DNS:localhost');
        expect(served.issuer).toMatch(/Pebble Intermediate/);
        // Kept in the data folder, keys readable by the owner only.
        for (const file of ['acme/account.key', 'acme/localhost/key.pem', 'acme/localhost/cert.pem']) {
          expect(statSync(join(settings.dataPath, file)).mode & 0o777, file).toBe(0o600);
        }
        const get = await plainHttp(pebble.httpPort, 'GET', '/staff/login?next=%2Fstaff');
        expect(get.status).toBe(301);
        expect(get.location).toBe(`https://localhost:${settings.httpsPort}/staff/login?next=%2Fstaff`);
        expect((await plainHttp(pebble.httpPort, 'POST', '/api/v1/appointments')).status).toBe(308);
        // Only the tokens of an open order are answered.
        expect((await plainHttp(pebble.httpPort, 'GET', '/.well-known/acme-challenge/nope')).status).toBe(
          404,
        );
      } finally {
        await Promise.all([https.close(0), managed.stop()]);
      }
    }, 60_000);

    it('keeps the stored certificate across a restart, and renews into the running server when due', async () => {
      const settings = await settingsFor(dataFolder());
      const first = await startManagedHttps(settings, { log });
      const firstSerial = serialOf(first.certificate.cert);
      await first.stop();

      let now = new Date();
      const again = await startManagedHttps(settings, { log, now: () => now });
      let https: Listening | null = null;
      try {
        expect(serialOf(again.certificate.cert)).toBe(firstSerial); // no new order at a restart
        https = await serveHttps(settings, again.certificate);
        again.renewInto(https);
        expect(await again.check()).toBe(false); // years left: nothing to do
        expect((await peerCertificate(settings.httpsPort, root)).serialNumber).toBe(firstSerial);

        now = new Date(Date.now() + 5 * YEAR_MS - 10 * 86_400_000); // pebble's certificates last 5 years
        expect(await again.check()).toBe(true);
        const renewed = await peerCertificate(settings.httpsPort, root);
        expect(renewed.authorized).toBe(true);
        expect(renewed.serialNumber).not.toBe(firstSerial); // the same server, a new certificate
      } finally {
        await Promise.all([https?.close(0), again.stop()]);
      }
    }, 90_000);

    it('refuses to start, saying why, when no certificate can be had — and frees the HTTP port', async () => {
      const settings = {
        ...(await settingsFor(dataFolder())),
        directoryUrl: `https://127.0.0.1:${await freePort()}/dir`,
      };
      const failed = await startManagedHttps(settings, { log }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(CertificateUnavailable);
      expect((failed as Error).message).toContain(
        'cannot obtain a certificate for localhost from https://127.0.0.1:',
      );
      // The plain-HTTP listener is closed again: the port can be taken.
      const again = await listen(async () => new Response('x'), { host: '127.0.0.1', port: pebble.httpPort });
      await again.close(0);
    }, 60_000);
  });

  describe('TLS-ALPN-01', () => {
    /*
     * RFC 8737, for a clinic that can open 443 only: pebble connects to the HTTPS port (its
     * tlsPort) offering ALPN acme-tls/1 alone and checks the self-signed certificate it gets there.
     * No plain-HTTP listener is opened. A renewal happens while HTTPS is served on that port.
     */
    const settingsFor = (): ManagedHttpsSettings => {
      const dataPath = mkdtempSync(join(tmpdir(), 'clinicbox-acme-alpn-'));
      folders.push(dataPath);
      return {
        domain: 'localhost',
        directoryUrl: pebble.directoryUrl,
        email: '',
        caFile: pebble.caFile,
        renewDays: 30,
        challenge: 'tls-alpn-01',
        httpPort: pebble.httpPort,
        dataPath,
        host: '127.0.0.1',
        httpsPort: pebble.tlsPort,
      };
    };

    it('obtains a certificate on the HTTPS port with no plain-HTTP listener, renews while serving HTTPS there', async () => {
      const settings = settingsFor();
      let now = new Date();
      const managed = await startManagedHttps(settings, { log, now: () => now });
      let https: Listening | null = null;
      try {
        const firstSerial = serialOf(managed.certificate.cert);
        expect(await refused(pebble.httpPort)).toBe(true); // nothing listens for HTTP-01
        https = await listen(async (_req, env) => new Response(`clinic ${env.ip}`), {
          host: '127.0.0.1',
          port: settings.httpsPort,
          tls: managed.certificate,
          divertsAlpn: true,
        });
        const served = await peerCertificate(settings.httpsPort, root);
        expect(served.authorized, String(served.error)).toBe(true);
        expect(served.serialNumber).toBe(firstSerial);

        // While the renewal's challenge is pending (acme-tls/1 connections diverted to its
        // answer), ordinary HTTPS requests on the port are answered as usual.
        const duringChallenge: string[] = [];
        const server = https;
        managed.renewInto({
          ...server,
          setCertificate: (pair) => server.setCertificate(pair),
          async divertAlpn(protocol, take) {
            const end = await server.divertAlpn(protocol, take);
            const page = await httpsGet(`https://localhost:${settings.httpsPort}/`, { ca: [root] });
            duringChallenge.push(`${page.status} ${page.body}`);
            return end;
          },
        });
        now = new Date(Date.now() + 5 * YEAR_MS - 10 * 86_400_000);
        expect(await managed.check()).toBe(true);
        expect(duringChallenge).toEqual(['200 clinic 127.0.0.1']);
        const renewed = await peerCertificate(settings.httpsPort, root);
        expect(renewed.authorized, String(renewed.error)).toBe(true);
        expect(renewed.serialNumber).not.toBe(firstSerial);
        // The challenge is over: acme-tls/1 is no longer answered with a challenge certificate.
        expect((await handshakeAsTheCa(settings.httpsPort)).protocol).not.toBe('acme-tls/1');
      } finally {
        await Promise.all([https?.close(0), managed.stop()]);
      }
    }, 90_000);

    it('says which port must be reachable when the CA cannot validate', async () => {
      const settings = { ...settingsFor(), httpsPort: await freePort() }; // not where pebble checks
      const failed = await startManagedHttps(settings, { log }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(CertificateUnavailable);
      expect((failed as Error).message).toContain('(tls-alpn-01)');
      expect((failed as Error).message).toContain(`port ${settings.httpsPort} must be reachable`);
      // The port the challenge listener held is free again.
      const again = await listen(async () => new Response('x'), {
        host: '127.0.0.1',
        port: settings.httpsPort,
      });
      await again.close(0);
    }, 60_000);
  });
});

interface Served {
  authorized: boolean;
  error: Error | null;
  subjectAltName: string | undefined;
  issuer: string;
  serialNumber: string;
}

/** Connects to the HTTPS port as a browser opening https://localhost would, trusting pebble's root. */
function peerCertificate(port: number, root: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port, servername: 'localhost', ca: [root], rejectUnauthorized: false },
      () => {
        const cert = socket.getPeerCertificate();
        resolve({
          authorized: socket.authorized,
          error: socket.authorizationError ?? null,
          subjectAltName: cert.subjectaltname,
          issuer: cert.issuer.CN ?? '',
          serialNumber: cert.serialNumber,
        });
        socket.end();
      },
    );
    socket.once('error', reject);
  });
}

function plainHttp(
  port: number,
  method: string,
  path: string,
): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, method, path }, (res) => {
      res.resume();
      resolve({
        status: res.statusCode ?? 0,
        ...(res.headers.location ? { location: res.headers.location } : {}),
      });
    })
      .on('error', reject)
      .end();
  });
}

function serialOf(chain: string): string {
  return new X509Certificate(chain).serialNumber; // the first certificate of the chain: the leaf
}
