import { existsSync } from 'node:fs';
import { type App, createApp } from '../app.ts';
import { type Config, ensureDataDir } from '../config/index.ts';
import { DatabaseTooNewError, migrate } from '../db/migrate.ts';
import { embeddedAssets } from '../http/assets.ts';
import { findMasterKey } from '../lib/crypto.ts';
import { pendingKeyPath } from '../lib/keyring.ts';
import type { CommandContext } from './command.ts';
import { storageUrlProblem } from './storage-record.ts';

/** The commands that read or write stored files: each refuses a store other than the recorded one. */
const usesStorage = new Set(['serve', 'worker', 'storage']);

/**
 * The app for a one-shot command's `work` (no worker): opened as `openAppForCommand` opens it —
 * 1 when it cannot be (after saying why) — and stopped when the work ends, however it ends.
 * Answers the work's exit code.
 */
export async function withCommandApp(
  config: Config,
  ctx: CommandContext,
  command: string,
  work: (app: App) => Promise<number>,
): Promise<number> {
  const app = await openAppForCommand(config, ctx, { command, worker: false });
  if (!app) return 1;
  try {
    return await work(app);
  } finally {
    await app.stop(0);
  }
}

/**
 * Opens the app for a long-running command: data folder, database, migrations. Returns null
 * (after printing why) when the database is newer than this version.
 */
export async function openAppForCommand(
  config: Config,
  ctx: CommandContext,
  options: {
    command: string;
    worker: boolean;
    /** False to leave an existing data folder's mode as it is (doctor reports it instead). */
    tightenDataDir?: boolean;
  },
): Promise<App | null> {
  const rotating = options.command === 'keys' ? null : rotationUnderWay(config, ctx.env);
  if (rotating) {
    ctx.err(rotating);
    return null;
  }
  const dir = ensureDataDir(config.dataPath, { tighten: options.tightenDataDir ?? true });
  const app = await createApp(config, {
    ...(ctx.embeddedAssets ? { assets: embeddedAssets(ctx.embeddedAssets) } : {}),
    ...(ctx.extraJobs ? { jobs: ctx.extraJobs } : {}),
    worker: options.worker,
    command: options.command,
  });
  const { log, db } = app.deps;
  if (options.worker && app.deps.mail.kind === 'log') {
    log.warn('no --smtp-url: emails are only logged, nothing is really sent');
  }
  if (options.worker && app.deps.sms.kind === 'log') {
    log.warn(
      'no SMS provider (--twilio-account-sid or --sms-http-url): SMS are only logged, nothing is really sent',
    );
  }
  if (dir.openMode !== null) {
    const fields = { path: config.dataPath, mode: dir.openMode.toString(8) };
    if (dir.tightened) log.warn('the data folder was open to other users: made it owner-only (700)', fields);
    else log.warn('the data folder is open to other users; run: chmod 700', fields);
  }
  try {
    const applied = await migrate(db);
    if (applied.length) log.info('database migrated', { applied });
  } catch (e) {
    await app.stop(0);
    if (e instanceof DatabaseTooNewError) {
      ctx.err(e.message);
      return null;
    }
    throw e;
  }
  if (usesStorage.has(options.command)) {
    const problem = await storageUrlProblem(db, config, app.deps.clock.now());
    if (problem) {
      await app.stop(0);
      ctx.err(problem);
      return null;
    }
  }
  return app;
}

/**
 * Why nothing may start now: a master key rotation cut short (`<key file>.next` beside the key),
 * which leaves some secrets sealed under the old key and some under the new. Null otherwise (a
 * key that cannot be read is createApp's to report).
 */
function rotationUnderWay(config: Config, env: Record<string, string | undefined>): string | null {
  let path: string | null = null;
  try {
    path = findMasterKey({ file: config.masterKeyFile, dataPath: config.dataPath, env })?.path ?? null;
  } catch {
    return null;
  }
  if (!path || !existsSync(pendingKeyPath(path))) return null;
  return `a master key rotation is under way (${pendingKeyPath(path)} exists): finish it with clinicbox keys rotate before starting anything else`;
}

/** A promise to resolve from stop(), for Running.done. */
export function exitSignal(): { done: Promise<number>; exit(code: number): void } {
  let exit!: (code: number) => void;
  const done = new Promise<number>((r) => {
    exit = r;
  });
  return { done, exit };
}
