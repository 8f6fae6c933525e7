import { dataOptions, resolveDataConfig } from '../config/index.ts';
import { defineCommand } from './command.ts';
import { openAppForCommand } from './start.ts';

export const auditCommand = defineCommand({
  name: 'audit',
  usage: 'clinicbox audit verify [flags]',
  summary: 'Check the audit log: recompute its hash chain and name the first broken row (exit 1).',
  options: { ...dataOptions },
  async run(values, positionals, ctx) {
    if (positionals[0] !== 'verify' || positionals.length > 1) {
      ctx.err('usage: clinicbox audit verify [flags]');
      return 2;
    }
    const config = { ...values, ...resolveDataConfig(values), logLevel: 'warn' as const };
    const app = await openAppForCommand(config, ctx, { command: 'audit', worker: false });
    if (!app) return 1;
    try {
      const result = await app.deps.audit.verify();
      if (result.ok) {
        ctx.out(`audit log intact: ${result.rows} rows, head ${result.head}`);
        return 0;
      }
      ctx.err(
        `audit log BROKEN at row ${result.brokenAt!.id}: ${result.brokenAt!.reason}; the ${result.rows} rows before it verify`,
      );
      return 1;
    } finally {
      await app.stop(0);
    }
  },
});
