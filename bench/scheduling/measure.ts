/**
 * One data folder served by the binary: slot search latency, bookings per second, and the staff
 * calendar's week and day pages under wrk.
 */
import { call, freshAgent } from './requests.ts';
import type { BenchClinics } from './seed.ts';
import { startServer, stopServer, wrk } from './servers.ts';
import { binary, bookings, die, practitionerCount, searches } from './settings.ts';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

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

/** Slots over next week for the service, any practitioner: how many, and `searches` timed requests after a warm-up. */
async function slotSearch(base: string, clinics: BenchClinics) {
  const nextMonday = clinics.today.startOf('week').plus({ weeks: 1 });
  const week = `from=${nextMonday.toISODate()}&to=${nextMonday.plus({ days: 6 }).toISODate()}`;
  const slotUrl = `${base}/api/v1/slots?serviceId=${clinics.serviceId}&${week}`;
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
  return { slotsFound, times };
}

/** Bookings: distinct 30-minute times far ahead, spread over the practitioners; 16 clients at once. */
async function bookMany(base: string, clinics: BenchClinics, cookie: string) {
  const farMonday = clinics.today.plus({ years: 3 }).startOf('week');
  let next = 0;
  let created = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (;;) {
        const n = next++;
        if (n >= bookings) return;
        const practitionerId = clinics.practitionerIds[n % practitionerCount]!;
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
            serviceId: clinics.serviceId,
            practitionerId,
            start: start.toUTC().toISO(),
            patientId: clinics.patientIds[n % clinics.patientIds.length],
          }),
        });
        if (r.status === 201) created++;
        else failed++;
      }
    }),
  );
  return { bookingsPerSecond: created / ((performance.now() - started) / 1000), failed };
}

/** Serves `dir` with the binary and takes every measurement of one column of the report. */
export async function measureInstance(dir: string, clinics: BenchClinics) {
  const { child, base } = await startServer(binary, serveArgs(dir), '/readyz');
  const agent = freshAgent();
  const cookie = `cb_staff=${clinics.token}`;
  const { slotsFound, times } = await slotSearch(base, clinics);
  const { bookingsPerSecond, failed } = await bookMany(base, clinics, cookie);
  agent.destroy(); // wrk runs next and blocks this process: no idle keep-alive sockets left to go stale
  const calendar = (view: string) => `${base}/staff/calendar?view=${view}&date=${clinics.today.toISODate()}`;
  const weekPage = wrk(calendar('week'), [`Cookie: ${cookie}`]);
  const dayPage = wrk(calendar('day'), [`Cookie: ${cookie}`]);
  const weekBytes = (await call(calendar('week'), { headers: { cookie } })).body.length;
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

export type Measurements = Awaited<ReturnType<typeof measureInstance>>;
