/**
 * Scheduling benchmark: the built binary on a SQLite clinic of 20 practitioners and about
 * 1,000,000 appointments, against the same clinic with no appointments and a bare Hono hello
 * world on Bun, all in one run.
 *
 *   npm run build -- --target linux-x64    (once; this script builds nothing)
 *   npm run bench:scheduling
 *
 * Needs Debian's wrk. Env: BENCH_APPOINTMENTS (about this many, default 1000000),
 * BENCH_PRACTITIONERS (20), BENCH_SEARCHES (slot searches timed, 300), BENCH_BOOKINGS (2000),
 * BENCH_DURATION (wrk seconds, 10), BENCH_CONNECTIONS (50), BENCH_BINARY.
 *
 * Prints: slot search over one week for one service, any of the practitioners (p50/p95, sequential
 * requests over one keep-alive connection); bookings/s (16 concurrent clients booking distinct
 * free times through POST /api/v1/appointments); the staff calendar's week and day pages (wrk,
 * signed in) beside bare Hono. Targets: slot search p95 < 10 ms; week page ≥ 25 % of bare.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { createApp } from '../src/app.ts';
import { type GeneratorPractitioner, generateAppointments, seededRandom } from '../src/cli/demo-clinic.ts';
import { execute, openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { systemActor } from '../src/domain/audit/index.ts';
import { insertAppointmentsInBulk } from '../src/domain/scheduling/index.ts';
import { silentLogger } from '../src/lib/log.ts';
import { testConfig } from '../src/testing/app.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const os =
  { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform as string] ?? process.platform;
const binary = process.env.BENCH_BINARY || join(root, 'dist', `clinicbox-${os}-${process.arch}`);
const target = Number(process.env.BENCH_APPOINTMENTS ?? 1_000_000);
const practitionerCount = Number(process.env.BENCH_PRACTITIONERS ?? 20);
const searches = Number(process.env.BENCH_SEARCHES ?? 300);
const bookings = Number(process.env.BENCH_BOOKINGS ?? 2000);
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const bunBin = join(root, 'node_modules', '.bin', 'bun');
const ZONE = 'Europe/Paris';

function die(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}
if (!existsSync(binary))
  die(`${binary} is missing. Build it first: npm run build -- --target ${os}-${process.arch}`);
if ((spawnSync('wrk', ['--version']).error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
  die('wrk is not installed: apt-get install -y wrk');
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
let agent = new Agent({ keepAlive: true, maxSockets: 64 });

type Init = { method?: string; headers?: Record<string, string>; body?: string; agent?: Agent | false };

/**
 * One request over the keep-alive agent. A connection the server closed while idle answers
 * ECONNRESET on reuse: the request is sent again (GETs, and bookings carry an Idempotency-Key).
 */
async function call(url: string, init: Init = {}): Promise<{ status: number; body: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(url, init);
    } catch (e) {
      if (attempt >= 3 || (e as NodeJS.ErrnoException).code !== 'ECONNRESET') throw e;
    }
  }
}

function once(url: string, init: Init): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, agent: init.agent ?? agent },
      (res) => {
        let body = '';
        res.on('error', reject);
        res.setEncoding('utf8');
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

async function startServer(
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

async function stopServer(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  children.delete(child);
}

function wrk(url: string, headers: string[] = []): { rps: number; p99: string; non2xx: number } {
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

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

// ---------------------------------------------------------------- 1. the clinic, then its appointments

const work = mkdtempSync(join(tmpdir(), 'clinicbox-bench-scheduling-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const fullDir = join(work, 'full');
const emptyDir = join(work, 'empty');
mkdirSync(fullDir, { mode: 0o700 });
mkdirSync(emptyDir, { mode: 0o700 });

const seedStarted = performance.now();
const db = await openDatabase({
  url: '',
  sqlite: { path: join(fullDir, 'clinicbox.db'), synchronous: 'normal' },
});
await migrate(db);
const app = await createApp(testConfig({ staffMfa: 'optional' }), {
  db,
  log: silentLogger,
  worker: false,
  passwordCost: { N: 2 ** 14, r: 8, p: 1 },
});
const { staff, clinic, services, practitioners, patients } = app.deps;
await clinic.update(systemActor, {
  ...(await clinic.get()),
  name: 'Bench clinic',
  timeZone: ZONE,
  minNoticeMinutes: 0,
  horizonDays: 730,
});
const desk = await staff.accounts.create(systemActor, {
  email: 'desk@bench.example',
  name: 'Desk',
  role: 'reception',
});
const service = await services.create(systemActor, {
  name: 'Physiotherapy',
  description: '',
  durationMin: 30,
  bufferBeforeMin: 0,
  bufferAfterMin: 0,
  onlineBookable: true,
  newPatientsAllowed: true,
  requiresApproval: false,
});
const hours = '08:00-12:00, 13:00-18:00';
const generatorPractitioners: GeneratorPractitioner[] = [];
for (let i = 0; i < practitionerCount; i++) {
  const p = await staff.accounts.create(systemActor, {
    email: `p${i}@bench.example`,
    name: `P${i}`,
    role: 'practitioner',
  });
  await practitioners.save(systemActor, p.id, {
    displayName: `Practitioner ${String(i + 1).padStart(2, '0')}`,
    title: '',
    bio: '',
    colour: '#1d4ed8',
    bookableOnline: true,
    serviceIds: [service.id],
    hours: { 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: '', 7: '' },
  });
  generatorPractitioners.push({
    id: p.id,
    weekly: (await practitioners.get(p.id)).weekly,
    services: [service],
  });
}
const patientIds: string[] = [];
for (let i = 0; i < 2000; i++) {
  patientIds.push(
    (
      await patients.create(systemActor, {
        firstName: `Pat${i}`,
        lastName: `Bench${i}`,
        dateOfBirth: '1980-01-01',
      })
    ).id,
  );
}
const { token } = await staff.sessions.start(desk.id, { mfaVerified: true });
// The same clinic without appointments: the baseline for slot search and booking.
await execute(db.reader, sql.raw(`vacuum into '${join(emptyDir, 'clinicbox.db')}'`));

// About 15–16 appointments per practitioner per weekday (9 h at 30 min, 75 % full): enough weekdays back to reach the target.
const now = new Date();
const weekdaysNeeded = Math.ceil(target / (practitionerCount * 15));
const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
const from = today.minus({ days: Math.ceil((weekdaysNeeded * 7) / 5) - 56 });
const total = await generateAppointments({
  practitioners: generatorPractitioners,
  patientIds,
  zone: ZONE,
  from: from.toISODate()!,
  to: today.plus({ days: 56 }).toISODate()!,
  now,
  rng: seededRandom(7),
  fill: 0.75,
  batch: 5000,
  emit: (rows) => db.tx((ctx) => insertAppointmentsInBulk(ctx, rows)),
});
await db.tx((ctx) => execute(ctx, sql`analyze`));
await app.stop();
const seedSeconds = (performance.now() - seedStarted) / 1000;

// ---------------------------------------------------------------- 2. measure

const bare = await startServer(bunBin, [join(root, 'bench', 'bare-hono.ts'), '$PORT'], '/');
const bareRps = wrk(`${bare.base}/`).rps;
await stopServer(bare.child);

const serveArgs = (dir: string) => [
  'serve',
  '--port',
  '$PORT',
  '--data-dir',
  dir,
  '--no-worker',
  '--log-level',
  'warn',
];
const cookie = `cb_staff=${token}`;
const nextMonday = today.startOf('week').plus({ weeks: 1 });
const week = `from=${nextMonday.toISODate()}&to=${nextMonday.plus({ days: 6 }).toISODate()}`;

async function measureInstance(dir: string) {
  const { child, base } = await startServer(binary, serveArgs(dir), '/readyz');
  agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const slotUrl = `${base}/api/v1/slots?serviceId=${service.id}&${week}`;
  const first = await call(slotUrl);
  if (first.status !== 200) die(`slot search answered ${first.status}: ${first.body.slice(0, 200)}`);
  const slotsFound = (JSON.parse(first.body) as { slots: unknown[] }).slots.length;
  for (let i = 0; i < 20; i++) await call(slotUrl);
  const times: number[] = [];
  for (let i = 0; i < searches; i++) {
    const t = performance.now();
    await call(slotUrl);
    times.push(performance.now() - t);
  }
  // Bookings: distinct 30-minute times far ahead, spread over the practitioners; 16 clients at once.
  const farMonday = today.plus({ years: 3 }).startOf('week');
  let next = 0;
  let created = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (;;) {
        const n = next++;
        if (n >= bookings) return;
        const p = generatorPractitioners[n % practitionerCount]!;
        const slot = Math.floor(n / practitionerCount);
        const start = farMonday.plus({ days: Math.floor(slot / 18), minutes: 8 * 60 + (slot % 18) * 30 });
        const r = await call(`${base}/api/v1/appointments`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: base,
            cookie,
            'idempotency-key': `bench-${n}`,
          },
          body: JSON.stringify({
            serviceId: service.id,
            practitionerId: p.id,
            start: start.toUTC().toISO(),
            patientId: patientIds[n % patientIds.length],
          }),
        });
        if (r.status === 201) created++;
        else failed++;
      }
    }),
  );
  agent.destroy(); // wrk runs next and blocks this process: no idle keep-alive sockets left to go stale
  const bookingsPerSecond = created / ((performance.now() - started) / 1000);
  const weekPage = wrk(`${base}/staff/calendar?view=week&date=${today.toISODate()}`, [`Cookie: ${cookie}`]);
  const dayPage = wrk(`${base}/staff/calendar?view=day&date=${today.toISODate()}`, [`Cookie: ${cookie}`]);
  const weekBytes = (
    await call(`${base}/staff/calendar?view=week&date=${today.toISODate()}`, { headers: { cookie } })
  ).body.length;
  await stopServer(child);
  return {
    slotsFound,
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    bookingsPerSecond,
    failed,
    weekPage,
    dayPage,
    weekBytes,
  };
}

const full = await measureInstance(fullDir);
const empty = await measureInstance(emptyDir);

// ---------------------------------------------------------------- 3. report

console.log(
  `bench/scheduling · ${cpus().length} cores · bun binary ${binary.replace(root, '')} · SQLite synchronous=full · ` +
    `${practitionerCount} practitioners · ${fmt(total)} appointments (seeded in ${seedSeconds.toFixed(0)} s) · wrk -c${connections} -d${duration}s`,
);
const w = [44, 16, 16, 10];
const row = (cells: string[]) =>
  console.log(cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  '));
console.log('');
row(['measure', `${fmt(total)} appts`, 'no appts', 'ratio']);
row(w.map((n) => '-'.repeat(n)));
row([
  `slot search, one week, any of ${practitionerCount}: p50 ms`,
  fmt(full.p50, 2),
  fmt(empty.p50, 2),
  `${(full.p50 / empty.p50).toFixed(2)}x`,
]);
row([
  `slot search p95 ms (target < 10)`,
  fmt(full.p95, 2),
  fmt(empty.p95, 2),
  `${(full.p95 / empty.p95).toFixed(2)}x`,
]);
row(['  slots offered that week', fmt(full.slotsFound), fmt(empty.slotsFound), '']);
row([
  'bookings/s (16 clients, POST, fsync each)',
  fmt(full.bookingsPerSecond),
  fmt(empty.bookingsPerSecond),
  `${(full.bookingsPerSecond / empty.bookingsPerSecond).toFixed(2)}x`,
]);
if (full.failed || empty.failed) console.log(`  ! bookings refused: ${full.failed} / ${empty.failed}`);
console.log('');
const w2 = [44, 12, 10, 10];
const row2 = (cells: string[]) =>
  console.log(cells.map((c, i) => (i === 0 ? c.padEnd(w2[i]!) : c.padStart(w2[i]!))).join('  '));
row2(['page (signed in, 1M-appointment clinic)', 'req/s', 'p99', 'vs bare']);
row2(w2.map((n) => '-'.repeat(n)));
row2(['bare Hono on Bun  GET /', fmt(bareRps), '', '1.00x']);
row2([
  `calendar week, one practitioner (${fmt(full.weekBytes / 1024)} KB)`,
  fmt(full.weekPage.rps),
  full.weekPage.p99,
  `${(full.weekPage.rps / bareRps).toFixed(3)}x`,
]);
row2([
  `calendar day, ${practitionerCount} practitioners`,
  fmt(full.dayPage.rps),
  full.dayPage.p99,
  `${(full.dayPage.rps / bareRps).toFixed(3)}x`,
]);
for (const [name, r] of [
  ['week', full.weekPage],
  ['day', full.dayPage],
] as const) {
  if (r.non2xx) console.log(`  ! ${name}: ${r.non2xx} non-2xx responses`);
}
console.log('');
console.log(
  `target slot search p95 < 10 ms: ${full.p95 < 10 ? 'ok' : 'MISSED'} · target week page ≥ 25 % of bare: ${full.weekPage.rps / bareRps >= 0.25 ? 'ok' : 'MISSED'}`,
);
process.exit(0);
