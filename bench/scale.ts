/**
 * Scale-out benchmark (issue 21): 1, 2 and 4 `clinicbox serve` instances on one PostgreSQL
 * database and one S3-compatible store (fauxqs), behind a small round-robin proxy, under a mixed
 * load — slot searches 60 %, a signed-in patient's appointments 30 % (session checked, the read
 * audited), bookings 10 % (a patient booking a free slot: CSRF, idempotency, the practitioner's
 * lock, the audit row and the confirmation job; a slot taken meanwhile or the patient's cap of open
 * bookings answers 409, counted as answered). Prints req/s and p99 per instance count, the scaling
 * ratio against one instance, and the CPU each part used (instances, PostgreSQL, proxy, this
 * process) to show where the bottleneck is.
 *
 *   npx tsx bench/scale.ts
 *
 * Env: BENCH_PG_URL (postgres://127.0.0.1:5432/test: a database is created beside it and dropped),
 * BENCH_INSTANCES (1,2,4), BENCH_DURATION (seconds per count, 15), BENCH_CONNECTIONS (32).
 * Instances run from source under Node (tsx), as `npm start` does.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { type App, createApp } from '../src/app.ts';
import { configFrom } from '../src/config/index.ts';
import { freePort } from '../src/testing/free-port.ts';
import { startPatientSession } from '../src/testing/patient-browser.ts';
import { startS3Peer } from '../src/testing/peers/s3-server.ts';
import { runCli, startCli } from '../src/testing/process.ts';
import { cpuSeconds, pgCpuSeconds } from './scale/cpu.ts';

const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://127.0.0.1:5432/test';
const counts = (process.env.BENCH_INSTANCES ?? '1,2,4').split(',').map(Number);
const seconds = Number(process.env.BENCH_DURATION ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Sample {
  kind: 'slots' | 'read' | 'book';
  ms: number;
  status: number;
}

async function main() {
  const database = `clinicbox_scale_${randomBytes(4).toString('hex')}`;
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database}`);
  const url = Object.assign(new URL(pgUrl), { pathname: `/${database}` }).toString();
  const dir = mkdtempSync(join(tmpdir(), 'clinicbox-scale-'));
  const keyFile = join(dir, 'master.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const s3 = await startS3Peer('fauxqs');
  const databaseFlags = ['--database-url', url, '--master-key-file', keyFile];
  const shared = [...databaseFlags, ...s3.flags('scale')];
  try {
    const seeded = await runCli(['demo', '--data-dir', join(dir, 'seed'), ...databaseFlags]);
    if (seeded.code !== 0) throw new Error(`demo: ${seeded.stderr}`);
    const world = await clinicWorld(url, keyFile, join(dir, 'seed'));
    const rows: Row[] = [];
    for (const n of counts) rows.push(await measure(n, world, dir, shared));
    printTable(rows);
  } finally {
    await s3.stop();
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface World {
  serviceId: string;
  practitionerIds: string[];
  /** Patient session tokens. */
  patients: string[];
}

/** The demo clinic's ids, and a session for each of its patients (made in this process). */
async function clinicWorld(databaseUrl: string, masterKeyFile: string, dataDir: string): Promise<World> {
  const app: App = await createApp(configFrom({ databaseUrl, masterKeyFile, dataDir, logLevel: 'error' }), {
    worker: false,
  });
  try {
    const { db } = app.deps;
    const patients = await db.reader.db
      .select({ id: db.reader.t.patients.id })
      .from(db.reader.t.patients)
      .limit(200);
    const services = (await (await app.http.request('/api/v1/services')).json()) as {
      services: { id: string }[];
    };
    const team = (await (await app.http.request('/api/v1/practitioners')).json()) as {
      practitioners: { id: string }[];
    };
    const tokens: string[] = [];
    for (const p of patients) tokens.push(await startPatientSession(app, p.id));
    return {
      serviceId: services.services[0]!.id,
      practitionerIds: team.practitioners.map((p) => p.id),
      patients: tokens,
    };
  } finally {
    await app.stop();
    await app.deps.db.close();
  }
}

interface Row {
  instances: number;
  rps: number;
  p99: Record<Sample['kind'], number>;
  errors: number;
  cpu: { instances: number; postgres: number; proxy: number; bench: number };
}

async function measure(n: number, world: World, dir: string, shared: string[]): Promise<Row> {
  const proxyPort = await freePort();
  const base = `http://127.0.0.1:${proxyPort}`;
  const servers = [];
  const backends: string[] = [];
  for (let i = 0; i < n; i++) {
    // Links name the proxy (--base-url), so each instance's own address is the port given here.
    const port = await freePort();
    backends.push(`http://127.0.0.1:${port}`);
    servers.push(
      await startCli(
        [
          'serve',
          '--port',
          String(port),
          '--data-dir',
          join(dir, `i${i}`),
          '--no-worker',
          '--base-url',
          base,
          ...shared,
        ],
        /Open http/,
        { timeoutMs: 60_000 },
      ),
    );
  }
  const proxy = await startCli([String(proxyPort), ...backends], /PROXY/, {
    entry: 'bench/scale/proxy.ts',
  });
  const pids = { instances: servers.map((s) => s.child.pid!), proxy: [proxy.child.pid!] };
  try {
    await load(base, world, 2); // warm-up
    const before = {
      inst: cpuSeconds(pids.instances),
      proxy: cpuSeconds(pids.proxy),
      pg: await pgCpuSeconds(),
      me: process.cpuUsage(),
    };
    const started = performance.now();
    const samples = await load(base, world, seconds);
    const elapsed = (performance.now() - started) / 1000;
    const me = process.cpuUsage(before.me);
    const cpu = {
      instances: (cpuSeconds(pids.instances) - before.inst) / elapsed,
      postgres: ((await pgCpuSeconds()) - before.pg) / elapsed,
      proxy: (cpuSeconds(pids.proxy) - before.proxy) / elapsed,
      bench: (me.user + me.system) / 1e6 / elapsed,
    };
    const p99 = (kind: Sample['kind']) =>
      percentile(
        samples.filter((s) => s.kind === kind).map((s) => s.ms),
        0.99,
      );
    return {
      instances: n,
      rps: samples.length / elapsed,
      p99: { slots: p99('slots'), read: p99('read'), book: p99('book') },
      errors: samples.filter((s) => s.status >= 500 || s.status === 0 || s.status === 403).length,
      cpu,
    };
  } finally {
    for (const s of [...servers, proxy]) s.child.kill('SIGTERM');
    await Promise.all([...servers, proxy].map((s) => s.finished));
  }
}

/** `connections` virtual users, each sending one request after another for `secs` seconds. */
async function load(base: string, world: World, secs: number): Promise<Sample[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const samples: Sample[] = [];
  const end = performance.now() + secs * 1000;
  const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const later = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  await Promise.all(
    Array.from({ length: connections }, async (_, user) => {
      const token = world.patients[user % world.patients.length]!;
      const csrf = `bench${String(user).padStart(3, '0')}`.padEnd(43, 'x');
      const cookie = `cb_patient=${token}; __Host-cb_patient=${token}; cb_csrf=${csrf}; __Host-cb_csrf=${csrf}`;
      let i = user;
      while (performance.now() < end) {
        const r = (i++ * 7919) % 100;
        const practitionerId = world.practitionerIds[i % world.practitionerIds.length]!;
        const t = performance.now();
        let sample: Sample;
        if (r < 60) {
          const q = `serviceId=${world.serviceId}&practitionerId=${practitionerId}&from=${day}&to=${later}`;
          sample = {
            kind: 'slots',
            status: (await call(agent, base, 'GET', `/api/v1/slots?${q}`)).status,
            ms: 0,
          };
        } else if (r < 90) {
          sample = {
            kind: 'read',
            status: (await call(agent, base, 'GET', '/api/v1/me/appointments', cookie)).status,
            ms: 0,
          };
        } else {
          sample = {
            kind: 'book',
            status: await book(agent, base, world, { cookie, csrf }, user, practitionerId, day, later),
            ms: 0,
          };
        }
        sample.ms = performance.now() - t;
        samples.push(sample);
      }
    }),
  );
  agent.destroy();
  return samples;
}

/** A patient books the first free slot the search offers (one search, then the booking). */
async function book(
  agent: Agent,
  base: string,
  world: World,
  session: { cookie: string; csrf: string },
  user: number,
  practitionerId: string,
  from: string,
  to: string,
) {
  const q = `serviceId=${world.serviceId}&practitionerId=${practitionerId}&from=${from}&to=${to}`;
  const found = await call(agent, base, 'GET', `/api/v1/slots?${q}`);
  const slots = (JSON.parse(found.body) as { slots?: { start: string }[] }).slots ?? [];
  const slot = slots[(user * 13) % Math.max(slots.length, 1)];
  if (!slot) return 409;
  const body = JSON.stringify({ serviceId: world.serviceId, practitionerId, start: slot.start });
  return (
    await call(agent, base, 'POST', '/api/v1/appointments', session.cookie, body, {
      'x-csrf-token': session.csrf,
      origin: base,
      'idempotency-key': randomBytes(8).toString('hex'),
    })
  ).status;
}

function call(
  agent: Agent,
  base: string,
  method: string,
  path: string,
  cookie = '',
  body = '',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}

function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function printTable(rows: Row[]) {
  const one = rows.find((r) => r.instances === 1)?.rps ?? rows[0]!.rps;
  console.log(
    `\nscale bench · ${cpus().length} × ${cpus()[0]?.model.trim()} · Node ${process.version} · ${seconds} s per count, ${connections} connections`,
  );
  console.log(
    'mixed load: slot search 60 %, patient reads 30 %, bookings 10 % · PostgreSQL + fauxqs (S3) + round-robin proxy\n',
  );
  const head = [
    'instances',
    'req/s',
    'vs 1',
    'p99 slots',
    'p99 read',
    'p99 book',
    'errors',
    'CPU: inst',
    'pg',
    'proxy',
    'bench',
  ];
  console.log(head.map((h) => h.padStart(10)).join(' '));
  for (const r of rows) {
    const cells = [
      String(r.instances),
      r.rps.toFixed(0),
      `${(r.rps / one).toFixed(2)}x`,
      `${r.p99.slots.toFixed(0)} ms`,
      `${r.p99.read.toFixed(0)} ms`,
      `${r.p99.book.toFixed(0)} ms`,
      String(r.errors),
      r.cpu.instances.toFixed(2),
      r.cpu.postgres.toFixed(2),
      r.cpu.proxy.toFixed(2),
      r.cpu.bench.toFixed(2),
    ];
    console.log(cells.map((c) => c.padStart(10)).join(' '));
  }
  console.log(
    '\nCPU columns: cores busy on average (instances together, PostgreSQL backends, the proxy, this load generator).',
  );
}

await main();
