/**
 * What the TLS-ALPN-01 front costs under Bun (the binary's runtime): listen() over HTTPS with a
 * hello-world handler, as Bun.serve alone (the default, and --acme-challenge http-01), behind
 * the node:net front of `divertsAlpn` (--acme-challenge tls-alpn-01), and behind the front while
 * a challenge is pending (each ClientHello read). Each with keep-alive connections and with a new
 * connection per request (wrk -H "Connection: close"), the modes alternated round after round.
 *
 *   npx tsx bench/tls-alpn-front.ts
 *
 * Needs Debian's wrk. Env: BENCH_DURATION (seconds per run, default 5), BENCH_CONNECTIONS
 * (default 50), BENCH_ROUNDS (default 3). Prints, per mode, the median req/s, p99 and the
 * server's CPU time per request (process.cpuUsage, user + system): the machine is shared, so
 * CPU per request is the steadier figure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listen } from '../src/http/listen.ts';
import { freePort } from '../src/testing/free-port.ts';
import { selfSignedCertificate } from '../src/testing/tls.ts';

type Mode = 'direct' | 'front' | 'front, challenge pending';
const MODES: Mode[] = ['direct', 'front', 'front, challenge pending'];

if (process.argv[2] === 'serve') {
  // Under Bun: one server, CPU time printed at SIGTERM.
  const [, , , mode, cert, key, port] = process.argv as [
    string,
    string,
    string,
    Mode,
    string,
    string,
    string,
  ];
  const server = await listen(async () => new Response('hello'), {
    host: '127.0.0.1',
    port: Number(port),
    tls: { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') },
    divertsAlpn: mode !== 'direct',
  });
  if (mode === 'front, challenge pending') await server.divertAlpn('acme-tls/1', (s) => s.destroy());
  const start = process.cpuUsage();
  process.on('SIGTERM', () => {
    const used = process.cpuUsage(start);
    process.stdout.write(`CPU ${used.user + used.system}\n`);
    process.exit(0);
  });
  process.stdout.write('READY\n');
} else {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const bun = join(root, 'node_modules', '.bin', 'bun');
  const duration = Number(process.env.BENCH_DURATION ?? 5);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'clinicbox-front-bench-'));
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  selfSignedCertificate(cert, key, 1, 'DNS:localhost');
  const results = new Map<string, { rps: number; p99: number; cpuUs: number }[]>();

  const runOnce = async (mode: Mode, fresh: boolean) => {
    const port = await freePort();
    const child = spawn(bun, [fileURLToPath(import.meta.url), 'serve', mode, cert, key, String(port)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    while (!out.includes('READY')) await new Promise((r) => setTimeout(r, 20));
    const wrk = spawnSync(
      'wrk',
      [
        '-t2',
        `-c${connections}`,
        `-d${duration}s`,
        '--latency',
        ...(fresh ? ['-H', 'Connection: close'] : []),
        `https://127.0.0.1:${port}/`,
      ],
      { encoding: 'utf8' },
    ).stdout;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    const requests = Number(/(\d+) requests in/.exec(wrk)?.[1] ?? 0);
    const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(wrk);
    const p99Ms = p99 ? Number(p99[1]) * ({ us: 0.001, ms: 1, s: 1000 }[p99[2]!] ?? 1) : Number.NaN;
    const cpuUs = Number(/CPU (\d+)/.exec(out)?.[1] ?? 0);
    const label = `${mode} | ${fresh ? 'new connection per request' : 'keep-alive'}`;
    const list = results.get(label) ?? [];
    list.push({ rps: requests / duration, p99: p99Ms, cpuUs: cpuUs / Math.max(requests, 1) });
    results.set(label, list);
  };

  for (let round = 0; round < rounds; round++) {
    for (const fresh of [false, true]) for (const mode of MODES) await runOnce(mode, fresh);
  }
  rmSync(dir, { recursive: true, force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = new Map<boolean, number>();
  console.log(
    `\nwrk -t2 -c${connections} -d${duration}s, ${rounds} rounds, medians (Bun ${spawnSync(bun, ['--version'], { encoding: 'utf8' }).stdout.trim()})\n`,
  );
  console.log('| mode | connections | req/s | vs direct | p99 ms | server CPU µs/request |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const [label, list] of results) {
    const [mode, style] = label.split(' | ') as [string, string];
    const rps = median(list.map((r) => r.rps));
    const fresh = style !== 'keep-alive';
    if (mode === 'direct') base.set(fresh, rps);
    const ratio = rps / (base.get(fresh) ?? rps);
    console.log(
      `| ${mode} | ${style} | ${Math.round(rps)} | ${(ratio * 100).toFixed(0)} % | ${median(list.map((r) => r.p99)).toFixed(1)} | ${median(list.map((r) => r.cpuUs)).toFixed(1)} |`,
    );
  }
}
