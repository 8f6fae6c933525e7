/**
 * Patient app benchmark: what a phone downloads first, and how soon the main content paints.
 *
 *   npm run bench:pwa        (builds the PWA first; needs Debian's chromium)
 *
 * Env: BENCH_RUNS (page loads per row, median reported; default 5).
 *
 * 1. Initial JS and CSS: the files index.html loads, gzipped at level 9 (the passkey code is a
 *    separate chunk loaded only when used). Target: JS ≤ 60 KB gzipped.
 * 2. Largest Contentful Paint of the home screen (signed in, one upcoming appointment) and the
 *    booking screen's day step, in Chromium at a phone's size with Lighthouse's mobile throttling
 *    (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower): first visit (empty cache, no
 *    service worker) and repeat visit (the service worker serves the shell). Beside each, in the
 *    same run and under the same throttling, a bare HTML page with one heading and no script
 *    from a plain node:http server — the floor any page on that network pays. Target: < 1.5 s.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BrowserContext, chromium, devices, type Page } from 'playwright-core';
import { createApp } from '../src/app.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { listen } from '../src/http/listen.ts';
import { silentLogger } from '../src/lib/log.ts';
import { testConfig } from '../src/testing/app.ts';
import { seedClinic } from '../src/testing/factories.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const runs = Number(process.env.BENCH_RUNS ?? 5);
const JS_TARGET_KB = 60;
const LCP_TARGET_MS = 1500;

if (!existsSync(CHROMIUM)) {
  console.error('bench: Chromium is missing: apt-get install -y chromium');
  process.exit(1);
}

// ---------------------------------------------------------------- 1. sizes

const build = spawnSync(join(root, 'node_modules/.bin/bun'), ['build.ts', '--pwa-only'], { cwd: root });
if (build.status !== 0) {
  console.error(build.stderr.toString());
  process.exit(1);
}
const pwa = join(root, 'dist/pwa');
const html = readFileSync(join(pwa, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/app\/([\w.-]+\.(?:js|css))"/g)].map((m) => m[1]!);
const gz = (file: string) => gzipSync(readFileSync(join(pwa, file)), { level: 9 }).length;
const kb = (n: number) => (n / 1024).toFixed(1);
const jsGz = initial.filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gz(f), 0);
const cssGz = initial.filter((f) => f.endsWith('.css')).reduce((sum, f) => sum + gz(f), 0);
const lazy = readdirSync(pwa).filter((f) => f.endsWith('.js') && f !== 'sw.js' && !initial.includes(f));
const lazyGz = lazy.reduce((sum, f) => sum + gz(f), 0);

// ---------------------------------------------------------------- 2. the server and the floor

const dir = mkdtempSync(join(tmpdir(), 'clinicbox-bench-pwa-'));
const db = await openDatabase({
  url: '',
  sqlite: { path: join(dir, 'clinicbox.db'), synchronous: 'normal' },
});
await migrate(db);
const app = await createApp(testConfig(), {
  db,
  log: silentLogger,
  worker: false,
  passwordCost: { N: 2 ** 10, r: 8, p: 1 },
});
const fixture = await seedClinic(app, { practitioners: 4, patients: 0 });
const server = await listen(app.http.fetch, { port: 0, host: '127.0.0.1' });
const base = `http://localhost:${server.port}`;

const bare = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      '<title>Bare</title></head><body><h1>Hello Maya</h1><p>Your next appointment: Friday 27 November, 09:00.</p></body></html>',
  );
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://localhost:${(bare.address() as AddressInfo).port}/`;

const profileDir = mkdtempSync(join(tmpdir(), 'clinicbox-bench-chromium-'));
const context: BrowserContext = await chromium.launchPersistentContext(profileDir, {
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  ...devices['Pixel 7'],
  locale: 'en-GB',
});
const page = context.pages()[0] ?? (await context.newPage());
// tsx (esbuild keepNames) wraps functions passed to evaluate() in __name(): give the page one.
await context.addInitScript('globalThis.__name = (f) => f');

// A registered patient with one upcoming appointment (unthrottled set-up, through the API).
await page.goto(`${base}/app/manifest.webmanifest`);
const issued = await app.deps.patientSignIn.issueCode('email:maya@example.org', true);
const serviceId = fixture.serviceId;
await page.evaluate(
  async ({ code, serviceId }) => {
    const post = (path: string, body: unknown) =>
      fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/api/v1/auth/verify', { email: 'maya@example.org', code });
    await post('/api/v1/me/registration', {
      firstName: 'Maya',
      lastName: 'Lind',
      dateOfBirth: '1990-10-10',
      acceptTerms: true,
    });
    const today = new Date().toISOString().slice(0, 10);
    const to = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const { slots } = await (
      await fetch(`/api/v1/slots?serviceId=${serviceId}&from=${today}&to=${to}`)
    ).json();
    const slot = slots[slots.length >> 1];
    await post('/api/v1/appointments', { serviceId, practitionerId: slot.practitionerId, start: slot.start });
  },
  { code: issued!.code, serviceId },
);

// ---------------------------------------------------------------- 3. LCP

const cdp = await context.newCDPSession(page);
async function throttle(on: boolean) {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: on ? 150 : 0,
    downloadThroughput: on ? (1.6 * 1024 * 1024) / 8 : -1,
    uploadThroughput: on ? (750 * 1024) / 8 : -1,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: on ? 4 : 1 });
}

async function coldStart() {
  await throttle(false);
  await page.goto('about:blank');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Storage.clearDataForOrigin', {
    origin: base,
    storageTypes: 'service_workers,cache_storage',
  });
}

/** LCP of one navigation, read once the page has settled (the last LCP entry wins). */
async function lcpOf(target: Page, url: string, ready: string): Promise<number> {
  await target.goto(url, { waitUntil: 'load' });
  await target.waitForSelector(ready, { timeout: 30_000 });
  await target.waitForTimeout(300);
  return target.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve(entries[entries.length - 1]!.startTime);
        }).observe({ type: 'largest-contentful-paint', buffered: true });
        setTimeout(() => resolve(Number.NaN), 5000);
      }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function measure(url: string, ready: string, visit: 'first' | 'repeat'): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await coldStart();
    if (visit === 'repeat') {
      // One unthrottled visit installs the service worker and fills its cache.
      await page.goto(url);
      await page.waitForSelector(ready);
      // (the bare page has no service worker: its repeat visit is the browser's HTTP cache alone)
      if (url.startsWith(base)) await page.evaluate(() => navigator.serviceWorker.ready);
      await page.reload();
      await page.waitForSelector(ready);
      await page.goto('about:blank');
    }
    await throttle(true);
    times.push(await lcpOf(page, url, ready));
  }
  await throttle(false);
  return median(times);
}

const rows: [string, number][] = [];
const floorFirst = await measure(bareUrl, 'h1', 'first');
const floorRepeat = await measure(bareUrl, 'h1', 'repeat');
rows.push(['home, first visit', await measure(`${base}/app/#/`, 'article.appointment', 'first')]);
rows.push(['home, repeat visit', await measure(`${base}/app/#/`, 'article.appointment', 'repeat')]);
const bookUrl = `${base}/app/#/book?serviceId=${serviceId}&practitionerId=any`;
rows.push(['booking: days, first visit', await measure(bookUrl, 'ul.days button', 'first')]);
rows.push(['booking: days, repeat visit', await measure(bookUrl, 'ul.days button', 'repeat')]);

await context.close();
await server.close(1000);
bare.close();
await app.stop();
await db.close();
rmSync(dir, { recursive: true, force: true });
rmSync(profileDir, { recursive: true, force: true });

// ---------------------------------------------------------------- 4. the table

const pad = (s: string, n: number) => s.padEnd(n);
console.log('\nInitial download (gzip -9)');
console.log(`  ${pad('', 30)}${pad('ours', 12)}${pad('target', 12)}ratio`);
console.log(
  `  ${pad('JS (index.html loads)', 30)}${pad(`${kb(jsGz)} KB`, 12)}${pad(`${JS_TARGET_KB} KB`, 12)}${(jsGz / 1024 / JS_TARGET_KB).toFixed(2)}`,
);
console.log(`  ${pad('CSS', 30)}${pad(`${kb(cssGz)} KB`, 12)}`);
console.log(`  ${pad('passkey chunk (on demand)', 30)}${pad(`${kb(lazyGz)} KB`, 12)}`);
console.log(`\nLargest Contentful Paint, median of ${runs} (Pixel 7, 150 ms RTT, 1.6 Mbit/s, CPU ×4)`);
console.log(
  `  ${pad('', 30)}${pad('ours', 12)}${pad('bare HTML', 12)}${pad('ratio', 8)}target ${LCP_TARGET_MS} ms`,
);
for (const [name, ms] of rows) {
  const floor = name.includes('repeat') ? floorRepeat : floorFirst;
  const verdict = ms < LCP_TARGET_MS ? 'met' : 'MISSED';
  console.log(
    `  ${pad(name, 30)}${pad(`${Math.round(ms)} ms`, 12)}${pad(`${Math.round(floor)} ms`, 12)}${pad((ms / floor).toFixed(2), 8)}${verdict}`,
  );
}
process.exit(0);
