import { z } from 'zod';
import type { App } from '../app.ts';
import { configFrom, dataOptions, option, storageOptions, textOption } from '../config/index.ts';
import { systemActor } from '../domain/audit/index.ts';
import type { ClaimedFile } from '../domain/stored-files.ts';
import { type FileVault, openFileVault, type StorageSettings } from '../storage/index.ts';
import { defineCommand, runAs } from './command.ts';
import { openAppForCommand } from './start.ts';
import { copyStoredFiles, type MigrateProgress } from './storage-migrate.ts';
import { recordStorage, sameStorage, storageLocation } from './storage-record.ts';

const usage = 'clinicbox storage migrate --to <url> [flags] | clinicbox storage verify [flags]';

/** The target's S3 settings, each defaulting to the matching --s3-* one. */
const toS3Options = {
  toS3Endpoint: textOption(
    'to-s3-endpoint',
    'url',
    'empty (the --s3-endpoint) or an http(s) URL',
    'migrate: the target’s S3 endpoint, when it is another S3 service than the source’s.',
  ),
  toS3Region: textOption('to-s3-region', 'region', 'an S3 region name', 'migrate: the target’s region.'),
  toS3AccessKeyId: textOption(
    'to-s3-access-key-id',
    'id',
    'an access key id',
    'migrate: the target’s key id.',
  ),
  toS3SecretAccessKey: textOption(
    'to-s3-secret-access-key',
    'secret',
    'a secret access key',
    'migrate: the target’s secret (prefer CLINICBOX_TO_S3_SECRET_ACCESS_KEY).',
  ),
  toS3ForcePathStyle: option('to-s3-force-path-style <bool>', z.enum(['', 'true', 'false']), '', {
    accepts: 'empty (as --s3-force-path-style), true or false',
    describe: 'migrate: path-style addressing for the target.',
  }),
};

/**
 * `clinicbox storage`: moves the clinic's documents to another store and checks the stored ones.
 * `migrate --to <url>` copies every file's encrypted object as it is, reads each back through the
 * vault on the target, and only when every one is there records the new store as the clinic's
 * (the settings' `storage` record every instance checks at start); a killed run resumes where it
 * stopped. `verify` reads every stored file back and checks it. Exit 1 when a file is bad.
 */
export const storageCommand = defineCommand({
  name: 'storage',
  usage,
  summary:
    'Move the documents to another store (migrate --to <url>: copy, check each, then switch; stop serve and worker first) or check every stored file (verify).',
  options: {
    ...dataOptions,
    ...storageOptions,
    to: textOption(
      'to',
      'url',
      'file:, file:/a/folder or s3://bucket/prefix',
      'migrate: the store to move the documents to (the --s3-* settings apply to it too, unless --to-s3-* say otherwise).',
    ),
    ...toS3Options,
  },
  async run(values, positionals, ctx) {
    const action = positionals[0];
    if (positionals.length !== 1 || (action !== 'migrate' && action !== 'verify')) {
      ctx.err(`usage: ${usage}`);
      return 2;
    }
    if (action === 'migrate' && !storageOptions.storageUrl.schema.safeParse(values.to).success) {
      ctx.err(`migrate needs --to <url>: ${storageOptions.storageUrl.accepts}`);
      return 2;
    }
    if (action === 'verify' && values.to) {
      ctx.err('verify checks the clinic’s store (--storage-url); --to is for migrate');
      return 2;
    }
    const config = configFrom({ ...values, logLevel: 'warn' as const });
    if (action === 'migrate' && sameStorage(values.to, config.storageUrl, config.dataPath)) {
      ctx.err(`the documents are in ${storageLocation(values.to, config.dataPath)} already`);
      return 2;
    }
    const app = await openAppForCommand(config, ctx, { command: 'storage', worker: false });
    if (!app) return 1;
    try {
      return action === 'verify'
        ? await verifyStore(app, ctx.out)
        : await migrateStore(app, targetSettings(config, values), ctx.out, runAs(ctx));
    } finally {
      await app.stop(0);
    }
  },
});

function targetSettings(
  config: StorageSettings,
  values: { to: string } & { [K in keyof typeof toS3Options]: string },
): StorageSettings {
  return {
    ...config,
    storageUrl: values.to,
    s3Endpoint: values.toS3Endpoint || config.s3Endpoint,
    s3Region: values.toS3Region || config.s3Region,
    s3AccessKeyId: values.toS3AccessKeyId || config.s3AccessKeyId,
    s3SecretAccessKey: values.toS3SecretAccessKey || config.s3SecretAccessKey,
    s3ForcePathStyle: values.toS3ForcePathStyle
      ? values.toS3ForcePathStyle === 'true'
      : config.s3ForcePathStyle,
  };
}

/** Every area's stored objects (documents, exports, imports…: their storedFiles parts). */
const listFiles = (app: App) => (): Promise<ClaimedFile[]> => app.deps.storedFiles.list(app.deps.db.reader);

async function migrateStore(
  app: App,
  target: StorageSettings,
  out: (line: string) => void,
  runAs: string,
): Promise<number> {
  const source = app.deps.files;
  const to = openFileVault(target, app.deps.keys);
  try {
    // Files uploaded while it runs are taken by a further pass; those uploaded after the switch by
    // an instance still running on the old store would be missed: hence "stop them first".
    out(
      `moving the documents from ${source.store.location} to ${to.store.location} (serve and worker should be stopped)`,
    );
    const result = await copyStoredFiles({
      source,
      target: to,
      listFiles: listFiles(app),
      onProgress: throttled(out),
    });
    const summary = `${result.copied} copied, ${result.alreadyThere} already there, ${result.failed} failed`;
    if (result.failures.length) {
      for (const f of result.failures) out(`FAILED  ${f.objectKey}: ${f.reason}`);
      out(
        `${summary}: the clinic stays on ${source.store.location} (run migrate again once the failures are dealt with)`,
      );
      return 1;
    }
    const now = app.deps.clock.now();
    const { db, audit, config } = app.deps;
    await recordStorage(db, target.storageUrl, now, config.storageUrl);
    await db.tx((ctx) =>
      audit.record(ctx, systemActor, {
        action: 'storage.migrated',
        entity: 'settings',
        entityId: 'storage',
        details: { from: source.store.location, to: to.store.location, files: result.total },
      }),
    );
    out(
      `${summary}: all ${result.total} files are on ${to.store.location}, which is now the clinic’s store.`,
    );
    out(
      `Start Clinicbox with --storage-url ${target.storageUrl} from now on (it refuses the old one). The old store is left as it was: remove it once a backup holds the new one (${runAs} storage verify --storage-url ${target.storageUrl} checks every file).`,
    );
    return 0;
  } finally {
    closeStore(to);
  }
}

/**
 * Reads every area's files back and checks each. The reads are audited (one row for the run); each
 * bad file gets an `<entity>.integrity-failed` row (`document.…`, `export.…`, `import.…`) on its
 * patient when it has one, as a refused read in the app does.
 */
async function verifyStore(app: App, out: (line: string) => void): Promise<number> {
  const { files: vault, db, audit } = app.deps;
  const files = await listFiles(app)();
  let ok = 0;
  let bytes = 0;
  let bad = 0;
  out(`checking ${files.length} files in ${vault.store.location}${perArea(files)}`);
  for (const file of files) {
    try {
      await vault.verify(file);
      ok++;
      bytes += file.size;
    } catch (e) {
      bad++;
      out(`BAD  ${file.objectKey}: ${(e as Error).message}`);
      await db.tx((ctx) =>
        audit.record(ctx, systemActor, {
          action: `${file.entity}.integrity-failed`,
          entity: file.entity,
          entityId: file.entityId,
          patientId: file.patientId ?? undefined,
          details: { error: (e as Error).name, by: 'storage verify' },
        }),
      );
    }
  }
  await db.tx((ctx) =>
    audit.record(ctx, systemActor, {
      action: 'storage.verify',
      entity: 'settings',
      entityId: 'storage',
      details: { store: vault.store.location, files: files.length, bad },
    }),
  );
  out(`${files.length} files: ${ok} ok (${mb(bytes)}), ${bad} bad`);
  return bad ? 1 : 0;
}

/** A progress line after the first file, then at most once a second, and after the last. */
function throttled(out: (line: string) => void): (p: MigrateProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done > 1 && p.done < p.total && now - last < 1000) return;
    last = now;
    const width = 20;
    const filled = p.total ? Math.round((p.done / p.total) * width) : width;
    out(
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} files, ${mb(p.bytes)} of ${mb(p.totalBytes)} (${p.copied} copied, ${p.alreadyThere} already there, ${p.failed} failed)`,
    );
  };
}

/** ` (documents 40, exports 1, imports 2)`: how many files of each area. */
function perArea(files: readonly ClaimedFile[]): string {
  const counts = new Map<string, number>();
  for (const f of files) counts.set(f.area, (counts.get(f.area) ?? 0) + 1);
  return counts.size ? ` (${[...counts].map(([area, n]) => `${area} ${n}`).join(', ')})` : '';
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

function closeStore(vault: FileVault): void {
  const store = vault.store as { close?: () => void };
  store.close?.();
}
