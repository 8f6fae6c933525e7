import { execFileSync } from 'node:child_process';
import { type RequestOptions, request } from 'node:https';
import { createConnection } from 'node:net';
import { connect } from 'node:tls';
import * as acme from 'acme-client';

/**
 * TLS for tests: a self-signed certificate made with openssl, a GET over HTTPS that reads the
 * whole answer, and probes of a port (what listens there, which certificate it serves, what the
 * ACME CA's TLS-ALPN-01 handshake gets).
 */

/**
 * Writes a self-signed EC P-256 certificate for CN=localhost to `certFile` and its key to
 * `keyFile`, valid `days` days, naming `altNames` (say `DNS:localhost,IP:127.0.0.1`) if given.
 */
export function selfSignedCertificate(
  certFile: string,
  keyFile: string,
  days: number,
  altNames?: string,
): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      String(days),
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=localhost',
      ...(altNames ? ['-addext', `subjectAltName=${altNames}`] : []),
    ],
    { stdio: 'ignore' },
  );
}

/** GET `url` over HTTPS with `options` (the roots to trust, an agent): its status and body. */
export function httpsGet(url: string, options: RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Is nothing listening on this port of 127.0.0.1 (the connection refused)? */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** The serial number of the certificate a new TLS connection to the port is served (SNI localhost). */
export function servedSerial(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false },
      () => {
        resolve(socket.getPeerCertificate().serialNumber);
        socket.end();
      },
    );
    socket.once('error', reject);
  });
}

/**
 * A TLS handshake as the ACME CA makes it for TLS-ALPN-01 (SNI localhost, ALPN acme-tls/1 alone):
 * the protocol negotiated (or the error's code), and whether the certificate served answers the
 * challenge for `keyAuthorization` (its acmeIdentifier extension, checked by acme-client).
 */
export function handshakeAsTheCa(
  port: number,
  keyAuthorization = '',
): Promise<{ protocol: string; answersChallenge: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(
      {
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        rejectUnauthorized: false,
        ALPNProtocols: ['acme-tls/1'],
      },
      () => {
        const cert = socket.getPeerX509Certificate();
        let answersChallenge = false;
        try {
          answersChallenge =
            !!cert && acme.crypto.isAlpnCertificateAuthorizationValid(cert.toString(), keyAuthorization);
        } catch {
          // no acmeIdentifier extension
        }
        resolve({ protocol: String(socket.alpnProtocol), answersChallenge });
        socket.end();
      },
    );
    socket.once('error', (e: NodeJS.ErrnoException) =>
      resolve({ protocol: e.code ?? e.message, answersChallenge: false }),
    );
  });
}
