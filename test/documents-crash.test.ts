import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { type ClientRequest, request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app.ts';
import { configFrom, ensureDataDir } from '../src/config/index.ts';
import { migrate } from '../src/db/migrate.ts';
import { systemActor } from '../src/domain/audit/index.ts';
import { SWEEP_ORPHAN_FILES } from '../src/domain/documents/index.ts';
import { storedObjectKeys } from '../src/testing/documents.ts';
import { startPatientSession } from '../src/testing/patient-browser.ts';
import { startCli } from '../src/testing/process.ts';
import { until } from '../src/testing/wait.ts';
import { tempDir } from './cli-setup.ts';
import { databasesPerTest } from './cli-storage-world.ts';

/**
 * Issue 16's "a SIGKILL during an upload leaves no visible partial document; the orphan is swept
 * later", with real `clinicbox serve` processes on one data folder (SQLite, or PostgreSQL with
 * CLINICBOX_TEST_DATABASE_URL): a patient's upload is killed part way through its body (a temp
 * file is left, never an object); another is killed after its object is stored but before its
 * row commits (the test holds the database's write lock meanwhile); after each restart the
 * patient's list is empty, and a `clinicbox worker` running the orphan sweep removes the day-old
 * object no row names while the committed document's object stays and still opens.
 */
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

const MiB = 1024 * 1024;
const dayAndMore = () => new Date(Date.now() - 25 * 3600 * 1000);

describe('a SIGKILL during an upload', () => {
  const database = databasesPerTest();

  it('leaves no document; the temp file and the orphan object go once a day old; what committed stays', async () => {
    const dbUrl = await database();
    const dataDir = join(tempDir(), 'data');
    ensureDataDir(dataDir);
    const filesPath = join(dataDir, 'files');
    const dbFlags = dbUrl ? ['--database-url', dbUrl] : [];
    const token = await patientWithSession(dataDir, dbUrl);
    const cookie = `cb_patient=${token}; __Host-cb_patient=${token}`;

    const serve = async () => {
      const started = await startCli(
        ['serve', '--port', '0', '--data-dir', dataDir, '--no-worker', '--log-level', 'info', ...dbFlags],
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
    const kill = async (s: { child: ChildProcess; finished: Promise<{ signal: NodeJS.Signals | null }> }) => {
      s.child.kill('SIGKILL');
      expect((await s.finished).signal).toBe('SIGKILL');
    };

    // 1. Killed part way through the body: 2.5 MiB of 6 sent, the first MiB (the store writes
    // in 1 MiB batches) encrypted in a temp file.
    const first = await serve();
    const upload1 = startUpload(first.base, cookie, 6 * MiB);
    await upload1.send(2.5 * MiB);
    const partial = await until('part of the upload in a temp file', async () =>
      tempFileOver(filesPath, 256 * 1024),
    );
    await kill(first);
    expect(storedObjectKeys(filesPath)).toEqual([]);

    // 2. Restarted: no document. Killed again after the object is stored, before its row commits.
    const second = await serve();
    expect(await listed(second.base)).toEqual([]);
    expect(existsSync(partial)).toBe(true);
    utimesSync(partial, dayAndMore(), dayAndMore()); // the first put of a process removes day-old temp files
    const upload2 = startUpload(second.base, cookie, 4 * MiB);
    await upload2.send(2.5 * MiB);
    await until('the second upload streaming', async () => tempFileOver(filesPath, 256 * 1024));
    const release = await holdWriteLock(dataDir, dbUrl);
    try {
      await upload2.send(2 * MiB, true);
      await until(
        'the object stored, its row waiting for the lock',
        async () => storedObjectKeys(filesPath).length === 1,
      );
      await kill(second);
    } finally {
      await release();
    }
    const [orphan] = storedObjectKeys(filesPath);
    expect(existsSync(partial)).toBe(false);

    // 3. Restarted: still no document; the orphan is in the store. One upload that completes.
    const third = await serve();
    expect(await listed(third.base)).toEqual([]);
    expect(storedObjectKeys(filesPath)).toEqual([orphan]);
    const done = startUpload(third.base, cookie, 100_000);
    await done.send(100_000, true);
    expect(await done.status).toBe(201);
    const [kept] = await listed(third.base);
    expect(kept).toBeDefined();
    const keys = storedObjectKeys(filesPath);
    expect(keys).toHaveLength(2);

    // 4. Both objects a day old: the sweep, run by a `clinicbox worker`, removes the orphan only.
    for (const key of keys) utimesSync(join(filesPath, key), dayAndMore(), dayAndMore());
    await enqueueSweep(dataDir, dbUrl);
    const worker = await startCli(
      ['worker', '--data-dir', dataDir, '--job-poll-interval', '50', '--log-level', 'info', ...dbFlags],
      /worker started/,
    );
    children.add(worker.child);
    await until('the orphan swept', async () => !storedObjectKeys(filesPath).includes(orphan!), 15_000);
    expect(storedObjectKeys(filesPath)).toEqual(keys.filter((k) => k !== orphan));
    const content = await fetch(`${third.base}/api/v1/me/documents/${kept}/content`, { headers: { cookie } });
    expect(content.status).toBe(200);
    expect((await content.arrayBuffer()).byteLength).toBe(100_000);
    worker.child.kill('SIGTERM');
    third.child.kill('SIGTERM');
    expect((await worker.finished).code).toBe(0);
    expect((await third.finished).code).toBe(0);
    for (const u of [upload1, upload2]) expect(await u.status).toBe('cut');
  }, 60_000);
});

/** Runs `fn` on the clinic of this data folder (an app built, not started), then closes it. */
async function withClinic<T>(dataDir: string, databaseUrl: string, fn: (app: App) => Promise<T>): Promise<T> {
  const config = configFrom({ dataDir, databaseUrl, logLevel: 'error' as const });
  const app = await createApp(config, { passwordCost: { N: 2 ** 10, r: 8, p: 1 } });
  try {
    return await fn(app);
  } finally {
    await app.stop(0);
  }
}

/** A patient on record in a migrated clinic, and a patient-app session's token. */
const patientWithSession = (dataDir: string, databaseUrl: string): Promise<string> =>
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
const enqueueSweep = (dataDir: string, databaseUrl: string): Promise<void> =>
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
function startUpload(base: string, cookie: string, total: number) {
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
function tempFileOver(filesPath: string, bytes: number): string | null {
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
async function holdWriteLock(dataDir: string, dbUrl: string): Promise<() => Promise<void>> {
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
