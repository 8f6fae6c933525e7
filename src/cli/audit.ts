import { join } from 'node:path';
import { z } from 'zod';
import { configFrom, dataOptions, option } from '../config/index.ts';
import { findMasterKey, MASTER_KEY_ENV, MASTER_KEY_FILE_NAME, MasterKeyError } from '../lib/crypto.ts';
import { defineCommand, runAs } from './command.ts';
import { withCommandApp } from './start.ts';

const usage = 'clinicbox audit verify [--expect-head <id>:<hash>] [flags]';

export const auditCommand = defineCommand({
  name: 'audit',
  usage,
  summary:
    'Check the audit log: recompute its keyed hash chain (with the clinic master key) and name the first broken row (exit 1).',
  options: {
    ...dataOptions,
    expectHead: option('expect-head <id:hash>', z.string().regex(/^(|\d+:[0-9a-f]{64})$/), '', {
      accepts: 'a row id and its hash, as printed by an earlier verify',
      describe:
        'Also fail unless this row, recorded from an earlier run, is still in the chain with this hash (shows rows cut from the end).',
    }),
  },
  async run(values, positionals, ctx) {
    if (positionals[0] !== 'verify' || positionals.length > 1) {
      ctx.err(`usage: ${usage}`);
      return 2;
    }
    const [id, hash] = values.expectHead ? values.expectHead.split(':') : [];
    const expectHead = id && hash ? { id: Number(id), hash } : undefined;
    const config = configFrom({ ...values, logLevel: 'warn' as const });
    // Verifying with a key made now would only say that every keyed row is wrong.
    const keyProblem = missingKey(config, ctx.env);
    if (keyProblem) {
      ctx.err(keyProblem);
      return 1;
    }
    return withCommandApp(config, ctx, 'audit', async (app) => {
      const result = await app.deps.audit.verify(expectHead ? { expectHead } : {});
      if (result.ok) {
        ctx.out(`audit log intact: ${result.rows} rows, head ${result.head}`);
        if (result.unkeyed > 0) {
          ctx.out(
            `the first ${result.unkeyed} rows predate the master key (unkeyed chain); the keyed row after them vouches for them`,
          );
        }
        if (result.headId !== null) {
          // The chain cannot show rows cut from its end: a head kept elsewhere can.
          ctx.out(
            `record the head somewhere else and check later with: ${runAs(ctx)} audit verify --expect-head ${result.headId}:${result.head}`,
          );
        }
        return 0;
      }
      ctx.err(
        `audit log BROKEN at row ${result.brokenAt!.id}: ${result.brokenAt!.reason}; the ${result.rows} rows before it verify`,
      );
      return 1;
    });
  },
});

/** Why the master key cannot be read (it is not given and the data folder has none), or null. */
function missingKey(
  config: { masterKeyFile: string; dataPath: string },
  env: Record<string, string | undefined>,
) {
  try {
    if (findMasterKey({ file: config.masterKeyFile, dataPath: config.dataPath, env })) return null;
  } catch (e) {
    if (e instanceof MasterKeyError) return e.message;
    throw e;
  }
  return `no master key: ${join(config.dataPath, MASTER_KEY_FILE_NAME)} does not exist and none is given (--master-key-file or ${MASTER_KEY_ENV}); the audit log is verified with the key the clinic runs with`;
}
