import { configFrom, dataOptions, deliveryOptions, serverOptions, workerOptions } from '../config/index.ts';
import { startTracing } from '../lib/tracing.ts';
import { defineCommand } from './command.ts';
import { exitSignal, openAppForCommand } from './start.ts';

export const workerCommand = defineCommand({
  name: 'worker',
  summary: 'Run only the job worker (email, SMS, reminders, clean-ups), e.g. beside `serve --no-worker`.',
  options: {
    ...dataOptions,
    ...workerOptions,
    ...deliveryOptions,
    shutdownGrace: serverOptions.shutdownGrace,
  },
  async run(values, _positionals, ctx) {
    const config = configFrom(values);
    const app = await openAppForCommand(config, ctx, { command: 'worker', worker: true });
    if (!app) return 1;
    const traces = await startTracing(ctx.env, { name: 'clinicbox', version: app.deps.version });
    await app.start();
    const { done, exit } = exitSignal();
    return {
      done,
      async stop() {
        await app.stop(config.shutdownGrace * 1000);
        await traces?.stop();
        exit(0);
      },
    };
  },
});
