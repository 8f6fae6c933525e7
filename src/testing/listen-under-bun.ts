/**
 * Run by `bun` from listen.test.ts: listen() on Bun.serve (the binary's path), with a slow route.
 * Prints `READY <url>`, and `ARRIVED` when a slow request comes in; on a stdin line
 * `close <graceMs>` starts closing, prints `CLOSING` (no longer accepting), then `CLOSED <ms taken>`.
 * With argv `<cert.pem> <key.pem>`: over HTTPS behind the TLS-ALPN-01 front (`divertsAlpn`).
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { listen } from '../http/listen.ts';
import { sleep } from './wait.ts';

const [certFile, keyFile] = process.argv.slice(2);
const server = await listen(
  async (req) => {
    const path = new URL(req.url).pathname;
    if (path === '/slow' || path === '/stuck') process.stdout.write('ARRIVED\n');
    if (path === '/slow') await sleep(300); // real time: in flight when the close comes, done within the grace
    if (path === '/stuck') await sleep(10_000); // real time: still running when the grace ends
    return new Response('done');
  },
  {
    port: 0,
    host: '127.0.0.1',
    ...(certFile && keyFile
      ? {
          tls: { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') },
          divertsAlpn: true,
        }
      : {}),
  },
);
process.stdout.write(`READY ${server.url}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const [command, grace] = line.split(' ');
  if (command !== 'close') continue;
  const started = performance.now();
  const closing = server.close(Number(grace));
  process.stdout.write('CLOSING\n');
  await closing;
  process.stdout.write(`CLOSED ${Math.round(performance.now() - started)}\n`);
  process.exit(0);
}
