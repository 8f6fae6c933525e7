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
 *
 * The parts are in bench/scheduling/: settings.ts (the env above), seed.ts (the clinics),
 * servers.ts and requests.ts (what runs and how it is asked), measure.ts, report.ts.
 */
import { join } from 'node:path';
import { measureInstance } from './scheduling/measure.ts';
import { printReport } from './scheduling/report.ts';
import { seedClinics } from './scheduling/seed.ts';
import { startServer, stopServer, wrk } from './scheduling/servers.ts';
import { bunBin, requireBinaryAndWrk, root } from './scheduling/settings.ts';

requireBinaryAndWrk();

// 1. The clinic, then its appointments (and the same clinic without them).
const clinics = await seedClinics();

// 2. Measure: bare Hono first, then the binary on each clinic.
const bare = await startServer(bunBin, [join(root, 'bench', 'bare-hono.ts'), '$PORT'], '/');
const bareRps = wrk(`${bare.base}/`).rps;
await stopServer(bare.child);

const full = await measureInstance(clinics.fullDir, clinics);
const empty = await measureInstance(clinics.emptyDir, clinics);

// 3. Report.
printReport(clinics, full, empty, bareRps);
process.exit(0);
