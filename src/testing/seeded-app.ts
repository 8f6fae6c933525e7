import { createTestApp, type TestApp } from './app.ts';
import { type ClinicFixture, seedClinic } from './factories.ts';
import { perSuite, perTest } from './lifecycle.ts';

/** A test app and seedClinic's clinic in it. */
export interface SeededApp {
  app: TestApp;
  clinic: ClinicFixture;
}

type AppOptions = Parameters<typeof createTestApp>[0];
type SeedOptions = Parameters<typeof seedClinic>[1];

async function seededApp(options: AppOptions, seed: SeedOptions): Promise<SeededApp> {
  const app = await createTestApp(options);
  try {
    return { app, clinic: await seedClinic(app, seed) };
  } catch (error) {
    await app.destroy();
    throw error;
  }
}

/** One app (createTestApp with `options`) and its clinic (seedClinic with `seed`), shared by the block's tests. */
export const seededPerSuite = (options: AppOptions = {}, seed: SeedOptions = {}): (() => SeededApp) =>
  perSuite(
    () => seededApp(options, seed),
    ({ app }) => app.destroy(),
  );

/** A new app and clinic for each test of the block. */
export const seededPerTest = (options: AppOptions = {}, seed: SeedOptions = {}): (() => SeededApp) =>
  perTest(
    () => seededApp(options, seed),
    ({ app }) => app.destroy(),
  );
