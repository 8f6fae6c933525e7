import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: builds the patient app into dist/pwa once per run (Bun, as `npm start`
 * does), so /app serves the current source in every test — including on a clean clone.
 */
export default function setup(): void {
  // .ci/run builds it once for the two suites it runs side by side (two builds would race on dist/).
  if (process.env.CLINICBOX_TEST_PWA_BUILT === '1') return;
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(join(root, 'node_modules/.bin/bun'), ['build.ts', '--pwa-only'], { cwd: root, stdio: 'pipe' });
}
