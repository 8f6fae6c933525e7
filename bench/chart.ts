/**
 * Chart benchmark (issue 17): treatment notes on SQLite (a file, synchronous FULL as shipped) and
 * on PostgreSQL (a fresh schema on BENCH_PG_URL), each measured beside a baseline taken in the
 * same run, as a ratio.
 *
 *   npm run bench:chart
 *
 * The whole app runs in this process (its Hono handler, no sockets: the figures are the server's
 * own time, sessions, CSRF, audit rows and all), with 20 practitioners and BENCH_PATIENTS patients
 * (500) of BENCH_NOTES_PER_PATIENT signed SOAP notes (200): 100,000 notes of about 60 words drawn
 * from a skewed vocabulary (some words in most notes, most in few), written straight into the
 * tables and the full-text index by the chart's own repo functions.
 *
 *   1. chart page: GET /staff/patients/{id}/notes of a patient with 200 signed notes, as a
 *      practitioner, BENCH_REQUESTS (300) times one after another: p95 (target < 50 ms); baseline:
 *      the same page of a patient with no notes.
 *   2. autosave: 20 practitioners, each PATCHing their own draft (version-checked) BENCH_SAVES (100)
 *      times, one save every BENCH_SAVE_EVERY_MS (250: someone typing steadily, each waiting for
 *      the previous answer as the page's queue does), all 20 at once: p99 (target < 30 ms);
 *      baseline: one practitioner saving alone at that pace. Also shown: a burst, each of the 20
 *      saving again as soon as answered (all work queued on the one process).
 *   3. full-text search: GET /api/v1/patients/{id}/notes?q= of one or two words (or a word's first
 *      letters) on a random patient, BENCH_REQUESTS times over the 100,000 notes: p95 (target < 50
 *      ms); baseline: the same searches while the database held only the first patient's 200 notes.
 *
 * Env: BENCH_DIALECTS (sqlite,postgres), BENCH_PG_URL (postgres://127.0.0.1:5432/test),
 * BENCH_PATIENTS, BENCH_NOTES_PER_PATIENT, BENCH_REQUESTS, BENCH_SAVES; BENCH_AUTOSAVE_ONLY=1 runs only
 * the steady autosave (one, then the 20) BENCH_ROUNDS times, to compare builds run in turn. Each
 * autosave run also prints its transactions a save, their pool waits and this process's CPU a save.
 */
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { App } from '../src/app.ts';
import { execute } from '../src/db/client.ts';
import { systemActor } from '../src/domain/audit/index.ts';
import { indexNoteText, type NewNoteRow } from '../src/domain/chart/chart.repo.ts';
import type { TemplateField } from '../src/domain/chart/index.ts';
import { searchText } from '../src/domain/chart/search-text.ts';
import { newId } from '../src/lib/ids.ts';
import { benchApp } from '../src/testing/app.ts';
import type { TestBrowser } from '../src/testing/browser.ts';
import type { TestDb, TestDialect } from '../src/testing/db.ts';
import { seedClinic } from '../src/testing/factories.ts';
import { signedInAs } from '../src/testing/signed-in.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as TestDialect[];
const patientCount = env('BENCH_PATIENTS', 500);
const perPatient = env('BENCH_NOTES_PER_PATIENT', 200);
const requests = env('BENCH_REQUESTS', 300);
const saves = env('BENCH_SAVES', 100);
const saveEvery = env('BENCH_SAVE_EVERY_MS', 250);
const practitioners = 20;
const TARGET = { chartP95: 50, saveP99: 30, searchP95: 50 };

// ---------------------------------------------------------------- text

/** A deterministic random source, so both databases get the same notes and queries. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const syllables = 'ka lo mi te ra su ne po di va ce lu fo ga bi re to ma si de no pa le vi'.split(' ');
const clinical =
  'pain knee shoulder back neck swelling stiffness mobility strength flexion extension rotation tender ankle hip wrist elbow lumbar cervical thoracic posture gait balance fatigue headache sleep exercise stretching massage ice heat review improved worse stable acute chronic injury sprain strain tendon ligament muscle joint nerve numbness tingling spasm range motion walking running stairs lifting sitting standing'.split(
    ' ',
  );
/** 3,000 words: the clinical ones first (the most frequent), then made-up ones. */
const vocabulary = (() => {
  const r = rng(7);
  const words = new Set(clinical);
  while (words.size < 3000) {
    const n = 2 + Math.floor(r() * 3);
    words.add(Array.from({ length: n }, () => syllables[Math.floor(r() * syllables.length)]).join(''));
  }
  return [...words];
})();
/** A word, skewed: the first few are in most notes, most words in few. */
const word = (r: () => number) => vocabulary[Math.floor(r() ** 3 * vocabulary.length)]!;
const sentence = (r: () => number, n: number) => Array.from({ length: n }, () => word(r)).join(' ');

// ---------------------------------------------------------------- stats

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), n: s.length };
}
type Stats = ReturnType<typeof stats>;

async function timed(fn: () => Promise<Response>, failures: { n: number }): Promise<number> {
  const t = performance.now();
  const res = await fn();
  await res.arrayBuffer();
  const ms = performance.now() - t;
  if (!res.ok) failures.n += 1;
  return ms;
}

// ---------------------------------------------------------------- the clinic

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/** How long each transaction waited for a pool connection (PostgreSQL) during the current autosave run. */
const txWaits: number[] = [];

interface World {
  app: App;
  db: TestDb;
  doctors: TestBrowser[];
  soap: { id: string; version: number; fields: TemplateField[] };
  patients: string[];
  empty: string;
  dir: string;
}

async function world(dialect: TestDialect): Promise<World> {
  const { db, dir, app } = await benchApp(dialect, 'chart');
  await app.start();
  db.observe({ waited: (ms) => txWaits.push(ms) });
  await seedClinic(app, { practitioners, patients: 0 });
  const doctors: TestBrowser[] = [];
  // Each from its own address, as 20 practitioners in their rooms (sign-in is rate-limited per address).
  for (let i = 1; i <= practitioners; i++)
    doctors.push(await signedInAs(app, `p${i}@clinic.example`, { browser: { ip: `10.0.0.${i}` } }));
  const actor = { type: 'staff' as const, id: (await app.deps.staff.accounts.list())[0]!.id };
  const soap = (await app.deps.templates.list(actor, 'note')).find((t) => t.name === 'SOAP note')!;
  const patients: string[] = [];
  for (let i = 0; i <= patientCount; i++) {
    const p = await app.deps.patients.create(systemActor, {
      firstName: 'Bench',
      lastName: `Patient${i}`,
      dateOfBirth: '1980-01-01',
      email: `bench-${i}@example.org`,
    });
    patients.push(p.id);
  }
  const empty = patients.pop()!;
  return { app, db, doctors, soap, patients, empty, dir };
}

/** Writes `perPatient` signed notes for each of `patients` straight into the tables and the index. */
async function seedNotes(w: World, patients: string[], seed: number): Promise<void> {
  const r = rng(seed);
  const authors = (await w.app.deps.staff.accounts.list()).filter((m) => m.role === 'practitioner');
  const start = Date.now() - 5 * 365 * 86_400_000;
  const batch: NewNoteRow[] = [];
  const flush = async () => {
    const rows = batch.splice(0);
    await w.db.tx(async (ctx) => {
      await ctx.db.insert(ctx.t.notes).values(rows);
      for (const n of rows)
        await indexNoteText(ctx, n.id!, n.patientId, searchText(w.soap.fields, JSON.parse(n.answers)));
    });
  };
  for (const patientId of patients) {
    for (let i = 0; i < perPatient; i++) {
      const at = new Date(start + (i / perPatient) * 5 * 365 * 86_400_000 + Math.floor(r() * 86_400_000));
      const author = authors[Math.floor(r() * authors.length)]!.id;
      batch.push({
        id: newId(),
        patientId,
        templateId: w.soap.id,
        templateVersion: w.soap.version,
        appointmentId: null,
        authorId: author,
        status: 'signed',
        answers: JSON.stringify({
          subjective: sentence(r, 25),
          objective: sentence(r, 15),
          assessment: sentence(r, 8),
          plan: sentence(r, 12),
        }),
        version: 2,
        createdAt: at,
        updatedAt: at,
        signedAt: at,
        signedBy: author,
        contentHash: 'b'.repeat(64),
      });
      if (batch.length === 500) await flush();
    }
  }
  if (batch.length) await flush();
}

// ---------------------------------------------------------------- the measures

async function chartPage(w: World, patientId: string): Promise<Stats> {
  const doctor = w.doctors[0]!;
  const failures = { n: 0 };
  const path = `/staff/patients/${patientId}/notes`;
  for (let i = 0; i < 20; i++) await timed(() => doctor.get(path), failures);
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) samples.push(await timed(() => doctor.get(path), failures));
  if (failures.n) throw new Error(`chart page: ${failures.n} requests failed`);
  return stats(samples);
}

/**
 * `who` practitioners saving their own drafts at once, `saves` times each: each waits for its
 * save's answer (as the page's queue does), then, with `everyMs`, for its next tick (a save every
 * `everyMs` from its start, as someone typing steadily); without, saves again at once (a burst).
 */
async function autosave(w: World, who: number, everyMs = 0): Promise<Stats> {
  const r = rng(11 + who);
  txWaits.length = 0;
  const cpu = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const failures = { n: 0 };
  const samples: number[] = [];
  await Promise.all(
    w.doctors.slice(0, who).map(async (doctor, i) => {
      const res = await doctor.json('POST', `/api/v1/patients/${w.patients[i % w.patients.length]}/notes`, {
        templateId: w.soap.id,
      });
      const draft = ((await res.json()) as { note: { id: string; version: number } }).note;
      const id = draft.id;
      let version = draft.version;
      const began = performance.now() + (everyMs * i) / who;
      for (let s = 0; s < saves; s++) {
        const wait = began + s * everyMs - performance.now();
        if (everyMs && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const t = performance.now();
        const saved = await doctor.json('PATCH', `/api/v1/notes/${id}`, {
          version,
          answers: { subjective: sentence(r, 25) },
        });
        const body = (await saved.json()) as { note?: { version: number } };
        samples.push(performance.now() - t);
        if (!saved.ok || !body.note) failures.n += 1;
        else version = body.note.version;
      }
    }),
  );
  loop.disable();
  if (failures.n) throw new Error(`autosave: ${failures.n} saves failed`);
  const waits = stats(txWaits);
  console.log(
    `  autosave ${who}${everyMs ? ` every ${everyMs} ms` : ' burst'}: p50 ${fmt(stats(samples).p50)} p99 ${fmt(stats(samples).p99)} ms; ` +
      `${(txWaits.length / samples.length).toFixed(2)} transactions a save, pool wait p50 ${fmt(waits.p50)} p99 ${fmt(waits.p99)} ms, ` +
      `${fmt(cpuMs(process.cpuUsage(cpu)) / samples.length, 2)} ms of this process's CPU a save, ` +
      `event loop delay p99 ${fmt(loop.percentile(99) / 1e6)} max ${fmt(loop.max / 1e6)} ms`,
  );
  return stats(samples);
}

function queries(): { patient: number; q: string }[] {
  const r = rng(23);
  return Array.from({ length: requests }, () => {
    const kind = r();
    const q = kind < 0.4 ? word(r) : kind < 0.8 ? `${word(r)} ${word(r)}` : word(r).slice(0, 4);
    return { patient: Math.floor(r() * patientCount), q };
  });
}

async function search(w: World, patients: string[]): Promise<Stats & { found: number }> {
  const doctor = w.doctors[0]!;
  const failures = { n: 0 };
  const list = queries();
  let found = 0;
  for (const { patient, q } of list.slice(0, 20))
    await timed(
      () =>
        doctor.get(
          `/api/v1/patients/${patients[patient % patients.length]}/notes?q=${encodeURIComponent(q)}`,
        ),
      failures,
    );
  const samples: number[] = [];
  for (const { patient, q } of list) {
    const path = `/api/v1/patients/${patients[patient % patients.length]}/notes?q=${encodeURIComponent(q)}`;
    const t = performance.now();
    const res = await doctor.get(path);
    const body = (await res.json()) as { count?: number };
    samples.push(performance.now() - t);
    if (!res.ok) failures.n += 1;
    found += body.count ?? 0;
  }
  if (failures.n) throw new Error(`search: ${failures.n} requests failed`);
  return { ...stats(samples), found: found / list.length };
}

// ---------------------------------------------------------------- run

interface Result {
  dialect: TestDialect;
  notes: number;
  seedSeconds: number;
  chart: Stats;
  chartEmpty: Stats;
  save20: Stats;
  save1: Stats;
  burst20: Stats;
  burst1: Stats;
  search: Stats & { found: number };
  searchSmall: Stats & { found: number };
}

async function measure(dialect: TestDialect): Promise<Result | null> {
  const w = await world(dialect);
  try {
    if (process.env.BENCH_AUTOSAVE_ONLY === '1') {
      // Only the steady autosave, one alone then the 20, BENCH_ROUNDS times (to compare builds run in turn).
      for (let i = 0; i < env('BENCH_ROUNDS', 1); i++) {
        await autosave(w, 1, saveEvery);
        await autosave(w, practitioners, saveEvery);
      }
      return null;
    }
    const t = performance.now();
    // The first patient's notes alone: the search baseline.
    await seedNotes(w, w.patients.slice(0, 1), 1);
    const searchSmall = await search(w, w.patients.slice(0, 1));
    await seedNotes(w, w.patients.slice(1), 2);
    const seedSeconds = (performance.now() - t) / 1000;
    if (dialect === 'postgres') await execute(w.db.reader, sql`analyze`);
    const chartEmpty = await chartPage(w, w.empty);
    const chart = await chartPage(w, w.patients[0]!);
    const searchFull = await search(w, w.patients);
    const save1 = await autosave(w, 1, saveEvery);
    const save20 = await autosave(w, practitioners, saveEvery);
    const burst1 = await autosave(w, 1);
    const burst20 = await autosave(w, practitioners);
    return {
      dialect,
      notes: w.patients.length * perPatient,
      seedSeconds,
      chart,
      chartEmpty,
      save20,
      save1,
      burst20,
      burst1,
      search: searchFull,
      searchSmall,
    };
  } finally {
    await w.app.stop();
    await w.db.destroy();
    rmSync(w.dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, d = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const row = (cells: string[]) =>
  console.log(cells.map((c, i) => (i === 0 ? c.padEnd(52) : c.padStart(i === 4 ? 8 : 12))).join('  '));

function report(results: Result[]) {
  console.log(
    `\nchart bench · ${cpus().length} × ${cpus()[0]?.model ?? '?'} · Node ${process.version} · in-process requests (no sockets)`,
  );
  for (const r of results) {
    console.log(
      `\n${r.dialect === 'sqlite' ? 'SQLite (file, synchronous FULL)' : 'PostgreSQL'} · ${r.notes.toLocaleString('en-US')} signed notes (seeded in ${fmt(r.seedSeconds, 0)} s)`,
    );
    row(['measure', 'ours', 'baseline', 'ratio', 'target']);
    row(['-'.repeat(52), '-'.repeat(12), '-'.repeat(12), '-'.repeat(12), '-'.repeat(8)]);
    /** A measure against its baseline (ms), and against its target where it has one. */
    const line = (name: string, ours: number, base: number, target?: number) =>
      row([
        name,
        `${fmt(ours)} ms`,
        `${fmt(base)} ms`,
        `${(ours / base).toFixed(2)}x`,
        target === undefined ? '' : ours < target ? 'met' : 'MISSED',
      ]);
    line('chart page, 200 signed notes p95 (base: no notes)', r.chart.p95, r.chartEmpty.p95, TARGET.chartP95);
    line('  p50', r.chart.p50, r.chartEmpty.p50);
    line(
      `autosave p99, 20 each saving every ${saveEvery} ms (base: one)`,
      r.save20.p99,
      r.save1.p99,
      TARGET.saveP99,
    );
    line('  p50', r.save20.p50, r.save1.p50);
    line('  burst: 20 saving back to back, p99 (base: one)', r.burst20.p99, r.burst1.p99);
    line(
      `search p95, ${fmt(r.notes / 1000, 0)}k notes (base: 200 notes)`,
      r.search.p95,
      r.searchSmall.p95,
      TARGET.searchP95,
    );
    line('  p50', r.search.p50, r.searchSmall.p50);
    row(['  notes found per search (mean)', fmt(r.search.found), fmt(r.searchSmall.found), '', '']);
  }
}

const results: Result[] = [];
for (const dialect of dialects) {
  if (dialect === 'postgres')
    process.env.CLINICBOX_TEST_DATABASE_URL = process.env.BENCH_PG_URL ?? 'postgres://127.0.0.1:5432/test';
  process.stderr.write(`[chart bench] ${dialect}: seeding and measuring…\n`);
  const result = await measure(dialect);
  if (result) results.push(result);
}
if (results.length) report(results);
process.exit(0);
