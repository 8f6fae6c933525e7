import { expect } from 'vitest';
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

/**
 * Expects a receptionist (made for the test, signed in) refused (403) each of the admin `pages`,
 * and, given a `form`, refused posting it from a page with their CSRF token: that answer.
 */
export async function expectAdminsOnly(
  app: TestApp,
  pages: string[],
  form?: { path: string; fields: Record<string, string> },
): Promise<Response | undefined> {
  const { browser: desk } = await signedInStaff(app, 'reception');
  for (const page of pages)
    expect({ page, status: (await desk.get(page)).status }).toEqual({ page, status: 403 });
  if (!form) return undefined;
  await desk.text(await desk.get('/staff'));
  const post = await desk.post(form.path, form.fields);
  expect(post.status).toBe(403);
  return post;
}
