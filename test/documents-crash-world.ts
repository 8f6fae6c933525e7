import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { type ClientRequest, request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { expect } from 'vitest';
import { type App, type AppOverrides, createApp } from '../src/app.ts';
import { type Config, configFrom, ensureDataDir } from '../src/config/index.ts';
import { migrate } from '../src/db/migrate.ts';
import { systemActor } from '../src/domain/audit/index.ts';
import { SWEEP_ORPHAN_FILES } from '../src/domain/documents/index.ts';
import { startPatientSession } from '../src/testing/patient-browser.ts';
import { startCli } from '../src/testing/process.ts';
import { until } from '../src/testing/wait.ts';
import { tempDir } from './cli-setup.ts';

/**
 * What the SIGKILL-during-an-upload tests share (on disk: documents-crash.test.ts; on S3:
 * documents-crash-s3.test.ts): the clinic of a data folder opened in the test's process, a
 * patient-app session, an upload sent in steps to a `clinicbox serve`, and the database's write
 * lock held so that an upload's row waits.
 */

/**
 * Runs `fn` on the clinic of this data folder (an app built, not started; `storage`: its
 * `--storage-url` and `--s3-*` settings; `overrides`: a clock, a worker), then closes it.
 */
export async function withClinic<T>(
  dataDir: string,
  databaseUrl: string,
  fn: (app: App) => Promise<T>,
  storage: Partial<Config> = {},
  overrides: AppOverrides = {},
): Promise<T> {
  const config = configFrom({ dataDir, databaseUrl, logLevel: 'error' as const, ...storage });
  const app = await createApp(config, { passwordCost: { N: 2 ** 10, r: 8, p: 1 }, ...overrides });
  try {
    return await fn(app);
  } finally {
    await app.stop(0);
  }
}

/** A patient on record in a migrated clinic, and a patient-app session's token. */
export const patientWithSession = (dataDir: string, databaseUrl: string): Promise<string> =>
  withClinic(dataDir, databaseUrl, async (app) => {
    await migrate(app.deps.db);
    const patient = await app.deps.patients.create(systemActor, {
      firstName: 'Kai',
      lastName: 'Crash',
      dateOfBirth: '1990-01-01',
      email: 'kai@example.org',
    });
    return startPatientSession(app, patient.id);
  });

/** Queues one run of the orphan sweep in the clinic's job table (a worker process runs it). */
export const enqueueSweep = (dataDir: string, databaseUrl: string): Promise<void> =>
  withClinic(dataDir, databaseUrl, (app) =>
    app.deps.db.tx(async (ctx) => {
      await app.deps.jobs.queue.enqueue(ctx, SWEEP_ORPHAN_FILES, {});
    }),
  );

/**
 * A multipart upload of `total` bytes of text (a title field first, the file last), sent in
 * steps: `send(n)` writes the next n bytes of the file, and `send(n, true)` ends the body. Its
 * `status` is the answer's, or 'cut' when the connection dies first.
 */
export function startUpload(base: string, cookie: string, total: number) {
  const boundary = 'crash-test-boundary';
  const req: ClientRequest = request(`${base}/api/v1/me/documents`, {
    method: 'POST',
    headers: { cookie, origin: base, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  const status = new Promise<number | 'cut'>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve('cut'));
    });
    req.on('error', () => resolve('cut'));
  });
  req.write(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nScan\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.txt"\r\n` +
      'Content-Type: text/plain\r\n\r\n',
  );
  let sent = 0;
  const line = Buffer.from(`${'Clinic letter, page of text. '.repeat(35)}\n`);
  const send = async (bytes: number, end = false) => {
    const upTo = Math.min(total, sent + bytes);
    while (sent < upTo) {
      const piece = line.subarray(0, Math.min(line.length, upTo - sent));
      sent += piece.length;
      if (!req.write(piece)) await new Promise((r) => req.once('drain', r));
    }
    if (end) req.end(`\r\n--${boundary}--\r\n`);
  };
  return { send, status };
}

/** The path of a temp file of the store bigger than `bytes`, or null. */
export function tempFileOver(filesPath: string, bytes: number): string | null {
  const tmp = join(filesPath, '.tmp');
  if (!existsSync(tmp)) return null;
  for (const name of readdirSync(tmp)) {
    const path = join(tmp, name);
    if (existsSync(path) && statSync(path).size > bytes) return path;
  }
  return null;
}

/**
 * Holds the database's write lock (SQLite: an IMMEDIATE transaction; PostgreSQL: the documents
 * table locked against inserts) until the returned function is called: an upload's row then waits.
 */
export async function holdWriteLock(dataDir: string, dbUrl: string): Promise<() => Promise<void>> {
  if (!dbUrl) {
    const db = new Database(join(dataDir, 'clinicbox.db'));
    db.exec('BEGIN IMMEDIATE');
    return async () => {
      db.exec('ROLLBACK');
      db.close();
    };
  }
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const lockTaken = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const tx = sql.begin(async (t) => {
    await t.unsafe('lock table documents in share mode');
    locked();
    await held;
  });
  await Promise.race([lockTaken, tx]);
  return async () => {
    release();
    await tx;
    await sql.end();
  };
}

/**
 * A new data folder (on `newDatabase`'s database) whose clinic has one patient with a patient-app
 * session: the folder, its database URL, the flags naming both, and the session's cookie.
 */
export async function crashClinic(newDatabase: () => Promise<string>) {
  const dbUrl = await newDatabase();
  const dataDir = join(tempDir(), 'data');
  ensureDataDir(dataDir);
  const token = await patientWithSession(dataDir, dbUrl);
  return {
    dbUrl,
    dataDir,
    flags: ['--data-dir', dataDir, ...(dbUrl ? ['--database-url', dbUrl] : [])],
    cookie: `cb_patient=${token}; __Host-cb_patient=${token}`,
  };
}

type Served = Awaited<ReturnType<typeof startCli>> & { base: string };

/**
 * What both crash tests do with a `serve` of their own: start one on a free port (its child kept in
 * `children` for the test's clean-up), list the patient's documents through it, SIGKILL it; and
 * the steps both take, reading the store's object keys with `objects`.
 */
export function serveRig(
  children: Set<ChildProcess>,
  clinic: { dataDir: string; dbUrl: string; cookie: string },
  flags: string[],
  objects: () => Promise<string[]> | string[],
) {
  const { cookie } = clinic;
  const serve = async () => {
    const started = await startCli(
      ['serve', '--port', '0', '--no-worker', '--log-level', 'info', ...flags],
      /Open (http:\/\/127\.0\.0\.1:\d+)\/staff/,
    );
    children.add(started.child);
    return { ...started, base: started.match[1]! };
  };
  const listed = async (base: string) => {
    const res = await fetch(`${base}/api/v1/me/documents`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { documents: { id: string }[] }).documents.map((d) => d.id);
  };
  const kill = async (s: Served) => {
    s.child.kill('SIGKILL');
    expect((await s.finished).signal).toBe('SIGKILL');
  };
  /**
   * Ends `upload` (its last `bytes`) while the database's write lock is held, waits for its object
   * to be stored, its row waiting for the lock, and kills `server`: the object is an orphan.
   */
  const killBeforeRowCommits = async (
    server: Served,
    upload: ReturnType<typeof startUpload>,
    bytes: number,
  ): Promise<string> => {
    const release = await holdWriteLock(clinic.dataDir, clinic.dbUrl);
    try {
      await upload.send(bytes, true);
      await until(
        'the object stored, its row waiting for the lock',
        async () => (await objects()).length === 1,
      );
      await kill(server);
    } finally {
      await release();
    }
    return (await objects())[0]!;
  };
  /**
   * Restarted after the second kill: still no document, only the `orphan` stored. One upload that
   * completes: the `serve`, the kept document's id and the two object keys.
   */
  const restartAndKeepOne = async (orphan: string) => {
    const server = await serve();
    expect(await listed(server.base)).toEqual([]);
    expect(await objects()).toEqual([orphan]);
    const done = startUpload(server.base, cookie, 100_000);
    await done.send(100_000, true);
    expect(await done.status).toBe(201);
    const [kept] = await listed(server.base);
    expect(kept).toBeDefined();
    const keys = await objects();
    expect(keys).toHaveLength(2);
    return { server, kept: kept!, keys };
  };
  /** The kept document still opens, whole. */
  const expectOpens = async (server: Served, id: string) => {
    const content = await fetch(`${server.base}/api/v1/me/documents/${id}/content`, { headers: { cookie } });
    expect(content.status).toBe(200);
    expect((await content.arrayBuffer()).byteLength).toBe(100_000);
  };
  return { serve, listed, kill, killBeforeRowCommits, restartAndKeepOne, expectOpens };
}
