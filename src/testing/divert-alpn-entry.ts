/**
 * Run by src/http/tls/divert-alpn.test.ts under Node or Bun: listen() over HTTPS with the
 * certificate pair in argv[2]/argv[3] (PEM files), answering `clinic <client address>`; prints
 * `READY <port>`. Stdin lines: `divert <key authorization>` sends acme-tls/1 connections for
 * localhost to the answer of a TLS-ALPN-01 challenge, then prints
 * `DIVERTED`; `end` ends that and prints `ENDED`; `swap <cert> <key>` renews the certificate
 * (setCertificate) and prints `SWAPPED`; `close` exits.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { listen } from '../http/listen.ts';
import { ACME_TLS_PROTOCOL, challengeCertificate, TlsAlpnAnswers } from '../http/tls/tls-alpn-answers.ts';

const [certFile, keyFile] = process.argv.slice(2);
const server = await listen(async (_req, env) => new Response(`clinic ${env.ip}`), {
  port: 0,
  host: '127.0.0.1',
  tls: { cert: readFileSync(certFile!, 'utf8'), key: readFileSync(keyFile!, 'utf8') },
  divertsAlpn: true,
});
const answers = new TlsAlpnAnswers();
let end: (() => Promise<void>) | null = null;
process.stdout.write(`READY ${server.port}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const [command, keyAuthorization, keyFileForSwap] = line.split(' ');
  if (command === 'swap') {
    const [cert, key] = [keyAuthorization!, keyFileForSwap!];
    await server.setCertificate({ cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') });
    process.stdout.write('SWAPPED\n');
  }
  if (command === 'divert') {
    answers.set('localhost', await challengeCertificate('localhost', keyAuthorization!));
    end = await server.divertAlpn(ACME_TLS_PROTOCOL, answers.take);
    process.stdout.write('DIVERTED\n');
  }
  if (command === 'end') {
    answers.delete('localhost');
    await end?.();
    process.stdout.write('ENDED\n');
  }
  if (command === 'close') {
    await server.close(0);
    process.exit(0);
  }
}
