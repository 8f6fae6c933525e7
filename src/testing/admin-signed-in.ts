import { createTestApp, type TestApp } from './app.ts';
import type { TestBrowser } from './browser.ts';
import { perSuite, perTest } from './lifecycle.ts';
import { signedInStaff } from './signed-in.ts';

/** A test app (staff MFA optional) and its admin, signed in over HTTP. */
export interface AdminSignedIn {
  app: TestApp;
  admin: TestBrowser;
}

async function adminSignedIn(): Promise<AdminSignedIn> {
  const app = await createTestApp({ config: { staffMfa: 'optional' } });
  try {
    const { browser: admin } = await signedInStaff(app, 'admin');
    return { app, admin };
  } catch (error) {
    await app.destroy();
    throw error;
  }
}

/** A new app and signed-in admin for each test of the block. */
export const adminPerTest = (): (() => AdminSignedIn) => perTest(adminSignedIn, ({ app }) => app.destroy());

/** One app and signed-in admin shared by the block's tests. */
export const adminPerSuite = (): (() => AdminSignedIn) => perSuite(adminSignedIn, ({ app }) => app.destroy());
