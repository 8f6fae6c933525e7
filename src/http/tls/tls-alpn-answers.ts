// @peculiar/x509 (through tsyringe) needs Reflect's metadata API loaded before it.
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createNetServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import * as x509 from '@peculiar/x509';
import type { CertificatePair } from '../listen.ts';
import type { ChallengeResponder } from './acme-certificates.ts';
import { type HelloAsks, readHelloAsks } from './client-hello.ts';

/** The ALPN protocol of ACME's TLS-ALPN-01 check (RFC 8737): the CA offers it alone. */
export const ACME_TLS_PROTOCOL = 'acme-tls/1';

/**
 * The answers to pending TLS-ALPN-01 challenges: per domain, a TLS server that negotiates
 * "acme-tls/1" and presents the challenge's self-signed certificate (its critical
 * acmeIdentifier extension holds the key authorization's SHA-256), then closes. A connection
 * is handed here by whoever holds the HTTPS port, once its ClientHello offered acme-tls/1.
 */
export class TlsAlpnAnswers {
  readonly #servers = new Map<string, TlsServer>();

  set(domain: string, pair: CertificatePair): void {
    // Nothing else is spoken: the CA reads the certificate from the handshake and hangs up.
    const server = createTlsServer({ ...pair, ALPNProtocols: [ACME_TLS_PROTOCOL] }, (socket) => socket.end());
    server.on('tlsClientError', () => {}); // e.g. a client offering no acme-tls/1: refused
    this.#servers.set(domain, server);
  }

  delete(domain: string): void {
    this.#servers.delete(domain);
  }

  get pending(): boolean {
    return this.#servers.size > 0;
  }

  /** Answers a connection whose hello offered acme-tls/1 for a name with a pending challenge. */
  take = (socket: Socket, asks: HelloAsks): void => {
    const server = this.#servers.get(asks.serverName);
    try {
      if (server) server.emit('connection', socket);
      else socket.destroy();
    } catch {
      socket.destroy(); // a certificate this TLS library refuses: the CA sees the failure
    }
  };
}

/**
 * Before HTTPS runs (the first certificate): the HTTPS port answers the CA's acme-tls/1
 * handshakes and nothing else. Resolves once listening, with the function that closes it.
 */
export async function listenForTlsAlpn(
  answers: TlsAlpnAnswers,
  host: string,
  port: number,
): Promise<() => Promise<void>> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a reset peer: the socket closes
    void readHelloAsks(socket).then((asks) => {
      if (asks?.protocols.includes(ACME_TLS_PROTOCOL)) answers.take(socket, asks);
      else socket.destroy(); // no certificate to serve anyone else yet
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
}

/**
 * TLS-ALPN-01: each challenge's certificate made here (`challengeCertificate`) and answered on
 * the HTTPS port while the challenge is pending. `divert` sends the port's acme-tls/1
 * connections to `answers` (the running server's `divertAlpn`, or `listenForTlsAlpn` before
 * HTTPS runs); the function it resolves to ends that.
 */
export function tlsAlpn01Responder(
  answers: TlsAlpnAnswers,
  divert: () => Promise<() => Promise<void>>,
): ChallengeResponder {
  let diverted: Promise<() => Promise<void>> | null = null;
  return {
    type: 'tls-alpn-01',
    async create(authz, _token, keyAuthorization) {
      const domain = authz.identifier.value;
      answers.set(domain, await challengeCertificate(domain, keyAuthorization));
      diverted ??= divert();
      try {
        await diverted; // the CA is told to check only once the port answers
      } catch (e) {
        diverted = null;
        answers.delete(domain);
        throw e;
      }
    },
    async remove(authz) {
      answers.delete(authz.identifier.value);
      if (answers.pending || !diverted) return;
      const end = diverted;
      diverted = null;
      await (await end)();
    },
  };
}

/** id-pe-acmeIdentifier (RFC 8737 §6.1). */
const ACME_IDENTIFIER_OID = '1.3.6.1.5.5.7.1.31';

/**
 * The self-signed certificate of a TLS-ALPN-01 challenge (RFC 8737 §3): the domain as its only
 * subjectAltName, and the critical acmeIdentifier extension holding the SHA-256 of the key
 * authorization (DER: an OCTET STRING of 32 bytes). Not acme-client's `createAlpnCertificate`:
 * its certificate allows only keyCertSign/cRLSign, which BoringSSL (Bun's TLS) refuses for a
 * server (KEY_USAGE_BIT_INCORRECT); this one allows digitalSignature, as a TLS server needs.
 */
export async function challengeCertificate(
  domain: string,
  keyAuthorization: string,
): Promise<CertificatePair> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const digest = createHash('sha256').update(keyAuthorization).digest();
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // a positive number
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${domain}`,
    keys,
    signingAlgorithm: algorithm,
    serialNumber: serial.toString('hex'),
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 7 * 86_400_000),
    extensions: [
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: domain }]),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.Extension(ACME_IDENTIFIER_OID, true, Buffer.concat([Buffer.from([0x04, 0x20]), digest])),
    ],
  });
  const key = x509.PemConverter.encode(
    await crypto.subtle.exportKey('pkcs8', keys.privateKey),
    'PRIVATE KEY',
  );
  return { cert: cert.toString('pem'), key };
}
