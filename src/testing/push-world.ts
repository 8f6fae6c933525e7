import type { Config } from '../config/index.ts';
import { createTestApp, type TestApp } from './app.ts';
import type { TestDialect } from './db.ts';
import { type ClinicFixture, seedClinic } from './factories.ts';
import { perSuite } from './lifecycle.ts';
import { type PushService, startPushService } from './peers/push-service.ts';

/** What the web push tests share: a local push service, the app pushing to it, the clinic. */
export interface PushWorld {
  push: PushService;
  app: TestApp;
  clinic: ClinicFixture;
}

/**
 * For a describe block: a local push service, the app on `dialect` with its worker (polling every
 * 20 ms) allowed to push to it, links on https://clinic.example, `config` on top, and the clinic.
 */
export function pushWorld(dialect: TestDialect, config: Partial<Config> = {}): () => PushWorld {
  return perSuite(
    async () => {
      const push = await startPushService();
      try {
        const app = await createTestApp({
          dialect,
          worker: true,
          allowLocalPushEndpoints: true,
          config: { jobPollInterval: 20, baseUrl: 'https://clinic.example', ...config },
        });
        await app.start();
        return { push, app, clinic: await seedClinic(app) };
      } catch (error) {
        await push.stop();
        throw error;
      }
    },
    async ({ app, push }) => {
      await app.destroy();
      await push.stop();
    },
  );
}
