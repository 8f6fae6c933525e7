import { z } from 'zod';
import { configFrom, dataOptions, type OptionSpec } from '../config/index.ts';
import { defineCommand } from './command.ts';
import { openAppForCommand } from './start.ts';

const usage = 'clinicbox audit verify [--expect-head <id>:<hash>] [flags]';

export const auditCommand = defineCommand({
  name: 'audit',
  usage,
  summary: 'Check the audit log: recompute its hash chain and name the first broken row (exit 1).',
  options: {
    ...dataOptions,
    expectHead: {
      flag: 'expect-head',
      metavar: 'id:hash',
      accepts: 'a row id and its hash, as printed by an earlier verify',
      describe:
        'Also fail unless this row, recorded from an earlier run, is still in the chain with this hash (shows rows cut from the end).',
      default: '',
      schema: z.string().regex(/^(|\d+:[0-9a-f]{64})$/),
    } as OptionSpec<string>,
  },
  async run(values, positionals, ctx) {
    if (positionals[0] !== 'verify' || positionals.length > 1) {
      ctx.err(`usage: ${usage}`);
      return 2;
    }
    const [id, hash] = values.expectHead ? values.expectHead.split(':') : [];
    const expectHead = id && hash ? { id: Number(id), hash } : undefined;
    const config = configFrom({ ...values, logLevel: 'warn' as const });
    const app = await openAppForCommand(config, ctx, { command: 'audit', worker: false });
    if (!app) return 1;
    try {
      const result = await app.deps.audit.verify(expectHead ? { expectHead } : {});
      if (result.ok) {
        ctx.out(`audit log intact: ${result.rows} rows, head ${result.head}`);
        if (result.headId !== null) {
          // The chain cannot show rows cut from its end: a head kept elsewhere can.
          ctx.out(
            `record the head somewhere else and check later with: clinicbox audit verify --expect-head ${result.headId}:${result.head}`,
          );
        }
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
