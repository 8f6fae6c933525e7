import { createApp } from '../app.ts';
import { dataOptions, ensureDataDir, resolveDataConfig, serverOptions } from '../config/index.ts';
import { DatabaseTooNewError, migrate } from '../db/migrate.ts';
import { embeddedAssets } from '../http/assets.ts';
import { listen } from '../http/listen.ts';
import { defineCommand } from './command.ts';

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Run Clinicbox: the staff app, the patient app and the API (the default command).',
  options: { ...dataOptions, ...serverOptions },
  async run(values, _positionals, ctx) {
    const config = { ...resolveDataConfig(values), ...values };
    if (Boolean(config.tlsCert) !== Boolean(config.tlsKey)) {
      ctx.err('--tls-cert and --tls-key go together: give both or neither');
      return 2;
    }
    const dir = ensureDataDir(config.dataPath);
    const app = await createApp(
      config,
      ctx.embeddedAssets ? { assets: embeddedAssets(ctx.embeddedAssets) } : {},
    );
    const { log, db } = app.deps;
    if (dir.openToOthers)
      log.warn('the data folder is readable by other users; run: chmod 700', { path: config.dataPath });
    try {
      const applied = await migrate(db);
      if (applied.length) log.info('database migrated', { applied });
    } catch (e) {
      await app.stop();
      if (e instanceof DatabaseTooNewError) {
        ctx.err(e.message);
        return 1;
      }
      throw e;
    }
    await app.start();
    const listening = await listen(app.http.fetch, {
      port: config.port,
      host: config.host,
      tls: config.tlsCert ? { certPath: config.tlsCert, keyPath: config.tlsKey } : undefined,
    });
    const where = db.dialect === 'sqlite' ? `SQLite ${db.location}` : `PostgreSQL ${db.location}`;
    log.info(`Clinicbox ${app.deps.version} is running`, { data: config.dataPath, database: where });
    log.info(`Open ${config.baseUrl || listening.url}/`, {});

    let resolveDone!: (code: number) => void;
    const done = new Promise<number>((r) => {
      resolveDone = r;
    });
    return {
      done,
      async stop() {
        const graceMs = config.shutdownGrace * 1000;
        log.info('shutting down', { graceSeconds: config.shutdownGrace });
        await listening.close(graceMs);
        await app.stop();
        log.info('stopped');
        resolveDone(0);
      },
    };
  },
});
