import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { type App, createApp } from '../src/app.ts';
import { type Config, configFrom, ensureDataDir } from '../src/config/index.ts';
import { migrate } from '../src/db/migrate.ts';
import { systemActor } from '../src/domain/audit/index.ts';
import { jobsDone } from '../src/testing/jobs.ts';
import { runCli } from '../src/testing/process.ts';
import { staffMember } from '../src/testing/signed-in.ts';
import { tempDir } from './cli-setup.ts';

/**
 * The set-up of the storage and keys CLI tests: a data folder (SQLite, or a database of its own
 * on the suite's PostgreSQL) whose clinic has documents, uploaded through the real documents
 * service before the CLI runs on it as a separate process.
 */
const pgUrl = process.env.CLINICBOX_TEST_DATABASE_URL?.startsWith('postgres')
  ? process.env.CLINICBOX_TEST_DATABASE_URL
  : '';

/** A fresh database URL per call on PostgreSQL ('' on SQLite), dropped after the file's tests. */
export function databasesPerTest(): () => Promise<string> {
  let admin: postgres.Sql | undefined;
  const made: string[] = [];
  beforeAll(() => {
    if (pgUrl) admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    if (!admin) return;
    for (const name of made) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return async () => {
    if (!admin) return '';
    const name = `cb_storage_${process.pid}_${made.length}_${Date.now()}`;
    await admin.unsafe(`create database ${name}`);
    made.push(name);
    return pgUrl.replace(/\/[^/]*$/, `/${name}`);
  };
}

export interface Clinic {
  dataDir: string;
  /** `--data-dir` and, on PostgreSQL, `--database-url`. */
  flags: string[];
  config: Config;
}

/** Runs SQL on the clinic's database (its SQLite file, read-only, or its PostgreSQL database). */
export async function queryClinic<R = Record<string, unknown>>(
  clinic: Clinic,
  statement: string,
): Promise<R[]> {
  if (!clinic.config.databaseUrl) {
    const file = new Database(join(clinic.dataDir, 'clinicbox.db'), { readonly: true });
    try {
      return file.prepare(statement).all() as R[];
    } finally {
      file.close();
    }
  }
  const sql = postgres(clinic.config.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(statement)) as unknown as R[];
  } finally {
    await sql.end();
  }
}

/** The `n` of a `select count(*) as n …` on the clinic's database. */
export const countInClinic = async (clinic: Clinic, statement: string): Promise<number> =>
  Number((await queryClinic<{ n: number | string }>(clinic, statement))[0]!.n);

export { s3Settings } from '../src/testing/peers/s3-server.ts';

/** `count` text documents of `bytes` bytes each (different contents), uploaded by an admin. */
export async function clinicWithDocuments(
  databaseUrl: string,
  storage: Partial<Config>,
  count: number,
  bytes: number,
  /** Runs on the started app after the uploads (more to set up), with the patient and the admin. */
  more?: (app: App, clinic: { patientId: string; adminId: string }) => Promise<void>,
): Promise<Clinic & { contents: Buffer[] }> {
  const dataDir = join(tempDir(), 'data');
  ensureDataDir(dataDir);
  const config = configFrom({ dataDir, databaseUrl, logLevel: 'error' as const, ...storage });
  // A worker when more is set up (an export and an import run as jobs).
  const app = await createApp(config, { passwordCost: { N: 2 ** 10, r: 8, p: 1 }, worker: !!more });
  const contents: Buffer[] = [];
  try {
    await migrate(app.deps.db);
    const { account: admin } = await staffMember(app, 'admin');
    const patient = await app.deps.patients.create(systemActor, {
      firstName: 'Ines',
      lastName: 'Files',
      dateOfBirth: '1980-01-01',
      email: 'ines@example.org',
    });
    for (let i = 0; i < count; i++) {
      // Printable text (TXT has no magic bytes: the sniffer accepts UTF-8 without NULs), led by
      // words: random base64 at the start could spell a magic number (BM, MZ…).
      const lead = `Clinic note ${i}\n`;
      const body = randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64');
      const text = Buffer.from((lead + body).slice(0, Math.max(bytes, lead.length)));
      contents.push(text);
      await app.deps.documents.upload({ type: 'staff', id: admin.id }, patient.id, {
        file: Readable.from([text]),
        fileName: `note-${i}.txt`,
        fields: { category: 'other', title: `Note ${i}` },
      });
    }
    if (more) {
      await app.start();
      await more(app, { patientId: patient.id, adminId: admin.id });
    }
  } finally {
    await app.stop(0);
  }
  return {
    dataDir,
    flags: ['--data-dir', dataDir, ...(databaseUrl ? ['--database-url', databaseUrl] : [])],
    config,
    contents,
  };
}

/**
 * A new clinic per call, without documents (the admin and Ines Files, born 1980-01-01), each on a
 * database of its own (`more` as in clinicWithDocuments): the set-up of the import tests.
 */
export function clinicsPerTest(
  more?: (app: App, clinic: { patientId: string; adminId: string }) => Promise<void>,
): () => Promise<Clinic> {
  const newDatabase = databasesPerTest();
  return async () => clinicWithDocuments(await newDatabase(), {}, 0, 0, more);
}

/**
 * The other areas' stored objects beside the documents: one export of the patient's record (built
 * by its job), one finished import whose rejected rows are kept, and one import uploaded but not
 * started (its CSV kept) — three more objects, under `exports/` and `imports/`.
 */
export async function storeExportAndImports(
  app: App,
  { patientId, adminId }: { patientId: string; adminId: string },
): Promise<void> {
  const admin = { type: 'staff' as const, id: adminId };
  await app.deps.exports.request(admin, patientId);
  const csv = (rows: string[]) =>
    Readable.from([Buffer.from(['First Name,Last Name,Date of Birth,Email', ...rows].join('\r\n'))]);
  const done = await app.deps.imports.upload(admin, {
    kind: 'patients',
    fileName: 'old-system.csv',
    file: csv(['Grace,Hopper,1986-12-09,grace@example.org', 'Alan,Turing,1982-06-23,not-an-email']),
  });
  await app.deps.imports.start(admin, done.id);
  await app.deps.imports.upload(admin, {
    kind: 'patients',
    fileName: 'later.csv',
    file: csv(['Ada,Lovelace,1985-12-10,ada@example.org']),
  });
  // The jobs named (the app's recurring ones may be due meanwhile).
  await jobsDone(app, 'exports.build', 30_000);
  await jobsDone(app, 'imports.run', 30_000);
  const finished = await app.deps.imports.get(done.id);
  if (finished.status !== 'done') throw new Error(`the import ended ${finished.status}`);
}

/** Runs the CLI quietly (warnings only). */
export const cli = (args: string[]) => runCli([...args, '--log-level', 'warn']);
