import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // Real databases and real child processes: give them room.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A browser waiting on the server (a passkey made and verified) takes over expect.poll's 1 s
    // default when both suites share 2 cores.
    expect: { poll: { timeout: 5_000 } },
    pool: 'forks',
    // One process runs file after file with the modules it has loaded: importing the app again for
    // each of ~160 files cost ~1.5 s a file. No module keeps per-test state (each test makes its own
    // database, app and clock), and no test mocks modules or stubs the environment.
    isolate: false,
    // The patient app (dist/pwa) and the CLI entries tests start are built first (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    passWithNoTests: false,
    // In CI a test that fails is run once more; .ci/report-tests.mjs names every test that passed
    // only on that retry, so a flaky test is seen and fixed rather than failing an unrelated change.
    retry: process.env.CI ? 1 : 0,
  },
});
