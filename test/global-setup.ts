import { execFileSync } from 'node:child_process';
import { renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundledEntries } from '../src/testing/process.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Vitest global setup, once per run:
 * - builds the patient app into dist/pwa (Bun, as `npm start` does), so /app serves the current
 *   source in every test — including on a clean clone;
 * - bundles the CLI entries the tests start as child processes (src/testing/process.ts): Node
 *   starts one file in about a second where tsx compiles ~300 modules in 3–6 s on a busy 2-core
 *   machine, and the suite starts the CLI a few hundred times. test/cli-first-run.test.ts still
 *   runs `src/main.ts` through tsx, as `npm start` does.
 */
export default async function setup(): Promise<void> {
  await bundleCliEntries();
  // .ci/run builds it once for the two suites it runs side by side (two builds would race on dist/).
  if (process.env.CLINICBOX_TEST_PWA_BUILT === '1') return;
  execFileSync(join(root, 'node_modules/.bin/bun'), ['build.ts', '--pwa-only'], { cwd: root, stdio: 'pipe' });
}

async function bundleCliEntries(): Promise<void> {
  for (const [entry, bundle] of Object.entries(bundledEntries)) {
    // Written beside its final name and renamed: two suites side by side may bundle at once.
    const temp = join(root, `${bundle}.${process.pid}.tmp`);
    await build({
      entryPoints: [join(root, entry)],
      outfile: temp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      // Bun-only modules (`with { type: 'file' }` imports of fonts) stay outside: bundled, their
      // imports would be hoisted to the bundle's top and Node would refuse a .ttf at start.
      external: ['bun:sqlite', '*.bun.ts'],
      jsx: 'automatic',
      jsxImportSource: 'hono/jsx',
      logLevel: 'warning',
    });
    renameSync(temp, join(root, bundle));
  }
}
