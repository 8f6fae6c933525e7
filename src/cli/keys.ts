import type { App } from '../app.ts';
import { configFrom, dataOptions } from '../config/index.ts';
import { resealTotpSecrets } from '../domain/accounts/index.ts';
import { auditService, systemActor } from '../domain/audit/index.ts';
import { resealStoredKeys } from '../domain/notifications/index.ts';
import {
  clinicKeys,
  findMasterKey,
  type LoadedMasterKey,
  MASTER_KEY_ENV,
  MasterKeyError,
} from '../lib/crypto.ts';
import { makePendingKey, resealSecret, retireAndPromote, retiredKeysPath } from '../lib/keyring.ts';
import { fileKeyContext } from '../storage/index.ts';
import { defineCommand, runAs } from './command.ts';
import { withCommandApp } from './start.ts';

const usage = 'clinicbox keys rotate [flags]';

/**
 * `clinicbox keys rotate`: a new clinic master key. Every stored file's data key (documents,
 * exports, imports: every area's storedFiles part) is wrapped again
 * and every stored secret (staff TOTP secrets, the keys kept in the settings) sealed again under
 * keys derived from it; no stored file is rewritten. The audit log cannot be re-keyed (it is
 * append-only, and its heads may be recorded elsewhere): its rows keep the hashes they were written
 * with, the old key is kept retired beside the new one (`<key file>.retired`) so they still verify,
 * and a `keys.rotate` row keyed with the new key continues the chain and vouches for them.
 *
 * The new key is written first (`<key file>.next`); a rotation cut short is finished by running
 * the command again, and until then Clinicbox refuses to start. Every instance must be stopped.
 */
export const keysCommand = defineCommand({
  name: 'keys',
  usage,
  summary:
    'Rotate the clinic master key (keys rotate): data keys re-wrapped and secrets re-sealed without rewriting files; the old key kept retired for the audit log.',
  options: { ...dataOptions },
  async run(values, positionals, ctx) {
    if (positionals.length !== 1 || positionals[0] !== 'rotate') {
      ctx.err(`usage: ${usage}`);
      return 2;
    }
    const config = configFrom({ ...values, logLevel: 'warn' as const });
    let loaded: LoadedMasterKey | null;
    try {
      loaded = findMasterKey({ file: config.masterKeyFile, dataPath: config.dataPath, env: ctx.env });
    } catch (e) {
      if (!(e instanceof MasterKeyError)) throw e;
      ctx.err(e.message);
      return 1;
    }
    if (!loaded) {
      ctx.err('no master key yet: Clinicbox makes one at its first start, and nothing is sealed before');
      return 1;
    }
    if (!loaded.path) {
      ctx.err(
        `the master key comes from ${MASTER_KEY_ENV}: a rotation writes the new key to a file; put the key in a 0600 file, run with --master-key-file, and rotate then`,
      );
      return 1;
    }
    const keyFile = loaded.path;
    return withCommandApp(config, ctx, 'keys', async (app) => {
      ctx.out(`rotating the master key in ${keyFile} (every Clinicbox instance must be stopped)`);
      const counts = await rotate(app, keyFile, ctx.out);
      const areas = Object.entries(counts.byArea).map(([area, n]) => `${area} ${n}`);
      ctx.out(
        `done: ${counts.files} file keys re-wrapped${areas.length ? ` (${areas.join(', ')})` : ''}, ${counts.secrets} secrets re-sealed, no file rewritten.`,
      );
      ctx.out(
        `The new key is in ${keyFile}; the old one is kept in ${retiredKeysPath(keyFile)} for the audit log only. Back up both, and give both files to every other instance before starting it (${runAs(ctx)} audit verify checks the log).`,
      );
      return counts.damaged ? 1 : 0;
    });
  },
});

async function rotate(
  app: App,
  keyFile: string,
  out: (line: string) => void,
): Promise<{ files: number; byArea: Record<string, number>; secrets: number; damaged: number }> {
  const { db, clock, storedFiles } = app.deps;
  const from = app.deps.keys;
  // Made (or, after a run cut short, read) before anything is sealed with it.
  const to = clinicKeys(makePendingKey(keyFile));
  const byArea: Record<string, number> = {};
  let rewrapped = 0;
  let damaged = 0;
  // Every area's stored objects (documents, exports, imports…: their storedFiles parts).
  for (const file of await storedFiles.list(db.reader)) {
    let wrapped: string | null;
    try {
      wrapped = resealSecret(from.files, to.files, file.wrappedKey, fileKeyContext(file.objectKey));
    } catch {
      damaged++;
      out(
        `DAMAGED  ${file.entity} ${file.entityId} (${file.objectKey}): its data key opens with neither key (left as it is)`,
      );
      continue;
    }
    if (wrapped === null) continue; // done by a run cut short
    await db.tx((ctx) => storedFiles.setWrappedKey(ctx, file, wrapped));
    rewrapped++;
    byArea[file.area] = (byArea[file.area] ?? 0) + 1;
  }
  const secrets =
    (await resealTotpSecrets({ db, from: from.secrets, to: to.secrets })) +
    (await resealStoredKeys({ db, clock, from: from.secrets, to: to.secrets }));
  // Every row so far is sealed under the old key (and this process seals nothing more with it)…
  await app.deps.audit.stopSealing();
  // …and the chain goes on under the new key: this row's seal covers the last one under the old key.
  const audit = auditService({ db, clock, chainKey: to.auditChain });
  await db.tx((ctx) =>
    audit.record(ctx, systemActor, {
      action: 'keys.rotate',
      entity: 'master-key',
      details: { files: rewrapped, ...byArea, secrets, damaged },
    }),
  );
  await audit.stopSealing();
  retireAndPromote(keyFile);
  return { files: rewrapped, byArea, secrets, damaged };
}
