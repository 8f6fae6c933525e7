import { execFileSync } from 'node:child_process';
import { type RequestOptions, request } from 'node:https';

/**
 * TLS for tests: a self-signed certificate made with openssl, and a GET over HTTPS that reads the
 * whole answer.
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
