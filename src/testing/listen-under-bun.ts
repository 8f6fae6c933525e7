/**
 * Run by `bun` from listen.test.ts: listen() on Bun.serve (the binary's path), with a slow route.
 * Prints `READY <url>`; on a stdin line `close <graceMs>` closes and prints `CLOSED <ms taken>`.
 */
import { createInterface } from 'node:readline';
import { listen } from '../http/listen.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const server = await listen(
  async (req) => {
    const path = new URL(req.url).pathname;
    if (path === '/slow') await sleep(300);
    if (path === '/stuck') await sleep(10_000);
    return new Response('done');
  },
  { port: 0, host: '127.0.0.1' },
);
process.stdout.write(`READY ${server.url}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const [command, grace] = line.split(' ');
  if (command !== 'close') continue;
  const started = performance.now();
  await server.close(Number(grace));
  process.stdout.write(`CLOSED ${Math.round(performance.now() - started)}\n`);
  process.exit(0);
}
