/**
 * Run by certificate-swap.test.ts under Node or Bun: listen() over HTTPS with the certificate
 * pair in argv[2]/argv[3] (PEM files), prints `READY <port>`; on a stdin line `swap <cert> <key>`
 * calls setCertificate with that pair and prints `SWAPPED`.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { listen } from '../http/listen.ts';

const pair = (cert: string, key: string) => ({
  cert: readFileSync(cert, 'utf8'),
  key: readFileSync(key, 'utf8'),
});
const [certFile, keyFile] = process.argv.slice(2);
const server = await listen(async () => new Response('clinic'), {
  port: 0,
  host: '127.0.0.1',
  tls: pair(certFile!, keyFile!),
});
process.stdout.write(`READY ${server.port}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const [command, cert, key] = line.split(' ');
  if (command === 'swap') {
    await server.setCertificate(pair(cert!, key!));
    process.stdout.write('SWAPPED\n');
  }
  if (command === 'close') {
    await server.close(0);
    process.exit(0);
  }
}
