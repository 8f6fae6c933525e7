import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // Real databases and real child processes: give them room, and do not share state across files.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The patient app is served from dist/pwa: build it first (test/build-pwa.ts).
    globalSetup: ['test/build-pwa.ts'],
    passWithNoTests: false,
  },
});
