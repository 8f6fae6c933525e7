/** The servers the bench starts (the binary, bare Hono on Bun) and wrk, the load it puts on them. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { freePort } from '../../src/testing/free-port.ts';
import { sleep } from '../../src/testing/wait.ts';
import { once } from './requests.ts';
import { connections, die, duration } from './settings.ts';

// Whatever way the bench ends, no server it started is left running.
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Runs `cmd` (`$PORT` in `args` becomes a free port) until `readyPath` answers 200. */
export async function startServer(
  cmd: string,
  args: string[],
  readyPath: string,
): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(cmd, [...args.map((a) => (a === '$PORT' ? String(port) : a))], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 3000; i++) {
    if (child.exitCode !== null) die(`${cmd} exited ${child.exitCode}`);
    const ok = await once(base + readyPath, { agent: false }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, base };
    await sleep(10);
  }
  die(`${cmd} did not start`);
}

export async function stopServer(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  children.delete(child);
}

/** wrk on `url` after a 2-second warm-up: requests per second, p99, and answers that were not 2xx/3xx. */
export function wrk(url: string, headers: string[] = []): { rps: number; p99: string; non2xx: number } {
  const args = [
    '-t1',
    `-c${connections}`,
    `-d${duration}s`,
    '--latency',
    ...headers.flatMap((h) => ['-H', h]),
    url,
  ];
  spawnSync('wrk', [...args.slice(0, 2), '-d2s', ...args.slice(3)]); // warm-up
  const out = spawnSync('wrk', args, { encoding: 'utf8' }).stdout;
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  if (!Number.isFinite(rps)) die(`cannot read wrk's output:\n${out}`);
  return {
    rps,
    p99: out.match(/^\s+99%\s+(\S+)/m)?.[1] ?? '?',
    non2xx: Number(out.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0),
  };
}
