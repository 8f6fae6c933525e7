import { createServer as createNetServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import * as acme from 'acme-client';
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
    this.#servers.set(
      domain,
      // Nothing else is spoken: the CA reads the certificate from the handshake and hangs up.
      createTlsServer({ ...pair, ALPNProtocols: [ACME_TLS_PROTOCOL] }, (socket) => socket.end()),
    );
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
    if (server) server.emit('connection', socket);
    else socket.destroy();
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
 * TLS-ALPN-01: each challenge's certificate made by acme-client (`createAlpnCertificate`, an
 * ECDSA key of its own) and answered on the HTTPS port while the challenge is pending.
 * `divert` sends the port's acme-tls/1 connections to `answers` (the running server's
 * `divertAlpn`, or `listenForTlsAlpn` before HTTPS runs); the function it resolves to ends that.
 */
export function tlsAlpn01Responder(
  answers: TlsAlpnAnswers,
  divert: () => Promise<() => Promise<void>>,
): ChallengeResponder {
  let diverted: Promise<() => Promise<void>> | null = null;
  return {
    type: 'tls-alpn-01',
    async create(authz, _token, keyAuthorization) {
      const [key, cert] = await acme.crypto.createAlpnCertificate(
        authz,
        keyAuthorization,
        await acme.crypto.createPrivateEcdsaKey(),
      );
      answers.set(authz.identifier.value, { cert: cert.toString(), key: key.toString() });
      diverted ??= divert();
      try {
        await diverted; // the CA is told to check only once the port answers
      } catch (e) {
        diverted = null;
        answers.delete(authz.identifier.value);
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
