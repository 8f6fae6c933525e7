import { createApp } from '../app.ts';
import { boolOption, configFrom, dataOptions, ensureDataDir } from '../config/index.ts';
import { DatabaseTooNewError, migrate, readMigrationStatus } from '../db/migrate.ts';
import { defineCommand } from './command.ts';

export const migrateCommand = defineCommand({
  name: 'migrate',
  summary: 'Apply pending database migrations (serve also does this at start), or show their status.',
  options: {
    ...dataOptions,
    list: boolOption('list', false, 'Only list applied and pending migrations.'),
  },
  async run(values, _positionals, ctx) {
    const config = configFrom(values);
    ensureDataDir(config.dataPath);
    const app = await createApp(config);
    try {
      if (values.list) {
        const s = await readMigrationStatus(app.deps.db);
        ctx.out(`applied: ${s.applied.join(', ') || '(none)'}`);
        ctx.out(`pending: ${s.pending.join(', ') || '(none)'}`);
        if (s.unknown.length) ctx.out(`unknown (from a newer Clinicbox): ${s.unknown.join(', ')}`);
        return 0;
      }
      const applied = await migrate(app.deps.db);
      ctx.out(applied.length ? `applied ${applied.join(', ')}` : 'the database is up to date');
      return 0;
    } catch (e) {
      if (e instanceof DatabaseTooNewError) {
        ctx.err(e.message);
        return 1;
      }
      throw e;
    } finally {
      await app.stop();
    }
  },
});
