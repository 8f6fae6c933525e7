/**
 * HTTP benchmark of the built binary against a bare Hono hello world on Bun, in one run.
 *
 *   npm run build -- --target linux-x64    (once; this script builds nothing)
 *   npm run bench:http
 *
 * Needs Debian's wrk (`apt-get install -y wrk`). Env: BENCH_DURATION (wrk seconds per route, default
 * 10), BENCH_CONNECTIONS (default 50), BENCH_WARMUP (seconds of warm-up per route, default 2),
 * BENCH_RUNS (start-up runs, default 5), BENCH_BINARY (default dist/clinicbox-<os>-<arch>),
 * BENCH_SERVE_FLAGS (extra `serve` flags, e.g. "--log-level warn"; default none: the shipped defaults).
 * The staff calendar's day page of the next weekday is measured at 10 connections, whatever
 * BENCH_CONNECTIONS says.
 *
 * Prints one table (route, req/s, p99, ratio vs bare) and the binary's start-up time to the first
 * 200 from /readyz on an existing database (median), idle RSS after start and size, with targets.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/testing/free-port.ts';
import { sleep } from '../src/testing/wait.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const os =
  { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform as string] ?? process.platform;
const binary =
  process.env.BENCH_BINARY ||
  join(root, 'dist', `clinicbox-${os}-${process.arch}${os === 'windows' ? '.exe' : ''}`);
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
const startRuns = Number(process.env.BENCH_RUNS ?? 5);
const serveFlags = (process.env.BENCH_SERVE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const bunBin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'bun.cmd' : 'bun');

const TARGET = { startMs: 300, idleRssMB: 100, binaryMB: 110 };

function die(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------- preconditions

if (!existsSync(binary)) {
  die(`${binary} is missing. Build it first: npm run build -- --target ${os}-${process.arch}`);
}
const wrkProbe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
if ((wrkProbe.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
  die(
    'wrk is not installed. Install it: apt-get install -y wrk (Debian/Ubuntu) — autocannon cannot keep up with Bun.',
  );
}
const wrkVersion = `${wrkProbe.stdout}${wrkProbe.stderr}`.match(/wrk (\S+)/)?.[1] ?? '?';
if (!existsSync(bunBin)) die(`${bunBin} is missing: run npm install`);

// ---------------------------------------------------------------- helpers

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

/** One GET; resolves the status, or 0 when nothing answers. */
function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Polls until `url` answers 200; returns ms since `since`. */
async function waitFor200(
  url: string,
  child: ChildProcess,
  since: number,
  timeoutMs = 15_000,
): Promise<number> {
  for (;;) {
    if (child.exitCode !== null)
      die(`${url}: the server exited (code ${child.exitCode}) before answering 200`);
    if ((await status(url)) === 200) return performance.now() - since;
    if (performance.now() - since > timeoutMs) die(`${url} did not answer 200 within ${timeoutMs} ms`);
    await sleep(1);
  }
}

function start(cmd: string, args: string[], cwd: string): ChildProcess {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  child.on('exit', (code) => {
    if (code && code !== 0 && code !== 143) process.stderr.write(`${cmd} exited ${code}:\n${stderr}\n`);
  });
  children.add(child);
  return child;
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(timer);
  children.delete(child);
  return code;
}

function rssMiB(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
  if (!m) die(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

interface WrkResult {
  rps: number;
  p99ms: number;
  non2xx: number;
  errors: string;
}

function toMs(value: string): number {
  const m = value.match(/^([\d.]+)(us|ms|s|m)$/);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

function wrk(url: string, seconds: number, cookie = '', conns = connections): Promise<WrkResult> {
  return new Promise((resolve) => {
    const args = [
      '-t1',
      `-c${conns}`,
      `-d${seconds}s`,
      '--latency',
      ...(cookie ? ['-H', `Cookie: ${cookie}`] : []),
      url,
    ];
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => {
      if (code !== 0) die(`wrk ${args.join(' ')} exited ${code}:\n${out}`);
      const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
      const p99 = out.match(/^\s+99%\s+(\S+)/m)?.[1];
      const non2xx = Number(out.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
      const errors = out.match(/Socket errors:.*$/m)?.[0] ?? '';
      if (!Number.isFinite(rps) || !p99) die(`cannot read wrk's output:\n${out}`);
      resolve({ rps, p99ms: toMs(p99), non2xx, errors });
    });
  });
}

async function measure(url: string, cookie = '', conns = connections): Promise<WrkResult> {
  if (warmup > 0) await wrk(url, warmup, cookie, conns);
  return wrk(url, duration, cookie, conns);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A session for the demo patient with the most appointments, made through the app on the file. */
async function demoPatientCookie(demoDir: string): Promise<string> {
  const { createApp } = await import('../src/app.ts');
  const { configFrom } = await import('../src/config/index.ts');
  const { startPatientSession } = await import('../src/testing/patient-browser.ts');
  const { sql } = await import('drizzle-orm');
  const { queryRows } = await import('../src/db/client.ts');
  const app = await createApp(configFrom({ dataDir: demoDir, logLevel: 'error' }), { worker: false });
  try {
    const [top] = await queryRows<{ patient_id: string }>(
      app.deps.db.reader,
      sql`select patient_id from appointments group by patient_id order by count(*) desc limit 1`,
    );
    const token = await startPatientSession(app, top!.patient_id);
    return `cb_patient=${token}`;
  } finally {
    await app.stop();
    await app.deps.db.close();
  }
}

/** Signs a member in through the sign-in form (CSRF cookie and field), answering the session cookie. */
async function staffSignIn(base: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${base}/staff/login`);
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  keep(page);
  const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${base}/staff/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie(), origin: base },
    body: new URLSearchParams({ email, password, _csrf: csrf }),
  });
  keep(res);
  if (res.status !== 303 || ![...jar.keys()].some((k) => k.endsWith('cb_staff'))) {
    die(`staff sign-in answered ${res.status}: ${await res.text()}`);
  }
  return cookie();
}

// ---------------------------------------------------------------- run

const work = mkdtempSync(join(tmpdir(), 'clinicbox-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const dataDir = join(work, 'data');
const bunVersion = spawnSync(bunBin, ['--version'], { encoding: 'utf8' }).stdout.trim();

console.log(
  `wrk ${wrkVersion} -t1 -c${connections} -d${duration}s --latency (after ${warmup}s warm-up) · bun ${bunVersion} · ` +
    `${cpus().length} cores · ${binary.replace(root, '')}${serveFlags.length ? ` ${serveFlags.join(' ')}` : ''}`,
);

const rows: { route: string; r: WrkResult }[] = [];

// (a) bare Hono on Bun
{
  const port = await freePort();
  const child = start(bunBin, [join(root, 'bench', 'bare-hono.ts'), String(port)], root);
  await waitFor200(`http://127.0.0.1:${port}/`, child, performance.now());
  rows.push({ route: 'bare Hono on Bun  GET /', r: await measure(`http://127.0.0.1:${port}/`) });
  await stop(child);
}

// (b), (c) the binary; also creates and migrates the database the start-up runs reuse
let loadedRssMiB = 0;
{
  const port = await freePort();
  const child = start(binary, ['serve', '--port', String(port), '--data-dir', dataDir, ...serveFlags], work);
  await waitFor200(`http://127.0.0.1:${port}/readyz`, child, performance.now());
  rows.push({ route: 'binary  GET /healthz', r: await measure(`http://127.0.0.1:${port}/healthz`) });
  rows.push({ route: 'binary  GET /readyz (db read)', r: await measure(`http://127.0.0.1:${port}/readyz`) });
  loadedRssMiB = rssMiB(child.pid!);
  const code = await stop(child);
  if (code !== 0) die(`the binary exited ${code} after SIGTERM (expected 0)`);
}

// (d) signed in, on the demo clinic: a patient's appointments (session checked, the read audited)
// and the staff calendar's week and day pages (a member's session, the read audited, the page drawn)
{
  const demoDir = join(work, 'demo');
  const seeded = spawnSync(binary, ['demo', '--data-dir', demoDir], { cwd: work, encoding: 'utf8' });
  const password = seeded.stdout.match(/Password\s+(\S+)/)?.[1];
  if (seeded.status !== 0 || !password) die(`demo: ${seeded.stdout}${seeded.stderr}`);
  const patientCookie = await demoPatientCookie(demoDir);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = start(
    binary,
    ['serve', '--port', String(port), '--data-dir', demoDir, '--staff-mfa', 'optional', ...serveFlags],
    work,
  );
  await waitFor200(`${base}/readyz`, child, performance.now());
  const staffCookie = await staffSignIn(base, 'desk@demo.clinicbox.example', password);
  rows.push({
    route: 'patient  GET /api/v1/me/appointments',
    r: await measure(`${base}/api/v1/me/appointments`, patientCookie),
  });
  rows.push({
    route: 'staff  GET /staff/calendar?view=week',
    r: await measure(`${base}/staff/calendar?view=week`, staffCookie),
  });
  rows.push({
    route: 'staff  GET /staff/calendar (day)',
    r: await measure(`${base}/staff/calendar`, staffCookie),
  });
  // Today may be a Sunday with nothing booked: the day page of the next weekday, everyone's
  // appointments drawn, at 10 connections (issue 21's target for the day page is its p99 there).
  const weekday = new Date();
  do weekday.setUTCDate(weekday.getUTCDate() + 1);
  while (weekday.getUTCDay() === 0 || weekday.getUTCDay() === 6);
  rows.push({
    route: 'staff  calendar, next weekday, -c10',
    r: await measure(`${base}/staff/calendar?date=${weekday.toISOString().slice(0, 10)}`, staffCookie, 10),
  });
  await stop(child);
}

// start-up to the first 200 from /readyz on the existing database, and idle RSS
const startMs: number[] = [];
const idleRss: number[] = [];
for (let i = 0; i < startRuns; i++) {
  const port = await freePort();
  const since = performance.now();
  const child = start(binary, ['serve', '--port', String(port), '--data-dir', dataDir, ...serveFlags], work);
  startMs.push(await waitFor200(`http://127.0.0.1:${port}/readyz`, child, since));
  await sleep(1000);
  idleRss.push(rssMiB(child.pid!));
  await stop(child);
}
const size = statSync(binary).size;

// ---------------------------------------------------------------- report

const bare = rows[0]!.r.rps;
const w = [40, 10, 9, 9];
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
console.log('');
console.log(line(['route', 'req/s', 'p99 ms', 'vs bare']));
console.log(line(w.map((n) => '-'.repeat(n))));
for (const { route, r } of rows) {
  console.log(line([route, fmtInt(r.rps), r.p99ms.toFixed(2), `${(r.rps / bare).toFixed(2)}x`]));
}
const problems = rows.filter(({ r }) => r.non2xx > 0 || r.errors);
for (const { route, r } of problems) {
  console.log(`  ! ${route}: ${r.non2xx} non-2xx responses ${r.errors}`);
}

const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
const startMedian = median(startMs);
const rssMedian = median(idleRss);
const sizeMB = size / 1e6;
const w2 = [36, 26, 10, 6];
const line2 = (cells: string[]) =>
  cells.map((c, i) => (i === 1 ? c.padStart(w2[i]!) : c.padEnd(w2[i]!))).join('  ');
console.log('');
console.log(line2(['binary', 'measured', 'target', '']));
console.log(line2(w2.map((n) => '-'.repeat(n))));
console.log(
  line2([
    `start → first 200 /readyz (median/${startRuns})`,
    `${startMedian.toFixed(0)} ms`,
    `< ${TARGET.startMs} ms`,
    ok(startMedian < TARGET.startMs),
  ]),
);
console.log(
  line2([
    'idle RSS 1 s after start (median)',
    `${rssMedian.toFixed(1)} MiB`,
    `< ${TARGET.idleRssMB} MB`,
    ok(rssMedian * 1.048576 < TARGET.idleRssMB),
  ]),
);
console.log(
  line2([
    'binary size',
    `${(size / 1024 / 1024).toFixed(1)} MiB (${sizeMB.toFixed(1)} MB)`,
    `< ${TARGET.binaryMB} MB`,
    ok(sizeMB < TARGET.binaryMB),
  ]),
);
console.log(
  `(start runs: ${startMs.map((m) => m.toFixed(0)).join(', ')} ms; RSS after the wrk runs: ${loadedRssMiB.toFixed(1)} MiB)`,
);
