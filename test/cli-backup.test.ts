import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import tar from 'tar-stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app.ts';
import { rowLine, tableSpecs } from '../src/backup/index.ts';
import { configFrom } from '../src/config/index.ts';
import { openSnapshotFile } from '../src/db/snapshot.ts';
import { systemActor } from '../src/domain/audit/index.ts';
import { openS3Store } from '../src/storage/s3-store.ts';
import { archiveParts, untar } from '../src/testing/archive.ts';
import { bookAppointment, seedClinic } from '../src/testing/factories.ts';
import { type S3Peer, startS3Peer } from '../src/testing/peers/s3-server.ts';
import { startCli } from '../src/testing/process.ts';
import { sleep } from '../src/testing/wait.ts';
import { tempDir, tempFile } from './cli-setup.ts';
import { cli, clinicWithDocuments, databasesPerTest, s3Settings } from './cli-storage-world.ts';

/**
 * `clinicbox backup`, `restore` and `backup verify` as a person runs them: child processes on a
 * data folder (SQLite, or a database of its own on the suite's PostgreSQL) whose clinic keeps
 * working while the backup runs. Archives are encrypted to an X25519 recipient (no scrypt: fast).
 */
const pgUrl = process.env.CLINICBOX_TEST_DATABASE_URL?.startsWith('postgres')
  ? process.env.CLINICBOX_TEST_DATABASE_URL
  : '';
const newDatabase = databasesPerTest();

let identity = '';
let recipient = '';
let identityFile = '';
beforeAll(async () => {
  identity = await generateX25519Identity();
  recipient = await identityToRecipient(identity);
  identityFile = tempFile('backup.key', `# test identity\n${identity}\n`);
});

const backupTo = async (flags: string[], to: string) => {
  const r = await cli(['backup', ...flags, '--to', to, '--recipient', recipient]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const name = readdirSync(to).find((n) => /^clinicbox-.*\.tar\.age$/.test(n));
  expect(name).toBeTruthy();
  return join(to, name!);
};

const restore = (file: string, dataDir: string, databaseUrl = '') =>
  cli([
    'restore',
    file,
    '--data-dir',
    dataDir,
    ...(databaseUrl ? ['--database-url', databaseUrl] : []),
    '--identity-file',
    identityFile,
  ]);

/** Every part of an archive (decrypted, untarred) by name. */
const partsByName = async (file: string) => new Map(await archiveParts(readFileSync(file), identity));

interface ArchiveManifest {
  sourceDialect: string;
  formatVersion: number;
  database?: { part: string };
  tables: { name: string; rows: number; columns: string[]; sha256?: string }[];
}
const manifestOf = (parts: Map<string, Buffer>) =>
  JSON.parse(parts.get('manifest.json')!.toString()) as ArchiveManifest;

/**
 * Each table of an archive as the NDJSON of a table part (db/<table>.ndjson): the part itself, or,
 * when the archive holds the database as one SQLite file, its rows encoded the same way.
 */
async function tablesOf(parts: Map<string, Buffer>): Promise<Map<string, Buffer>> {
  const m = manifestOf(parts);
  const out = new Map<string, Buffer>();
  if (!m.database) {
    for (const t of m.tables) out.set(t.name, parts.get(`db/${t.name}.ndjson`)!);
    return out;
  }
  const path = tempFile('archive.db', parts.get(m.database.part)!);
  const file = await openSnapshotFile(path);
  try {
    const specs = new Map(tableSpecs('sqlite').map((s) => [s.name, s]));
    for (const t of m.tables) {
      const spec = specs.get(t.name)!;
      let text = '';
      for await (const batch of file.rows(t.name, t.columns, spec.primaryKey)) {
        for (const row of batch) text += rowLine(spec, t.columns, row);
      }
      out.set(t.name, Buffer.from(text));
    }
  } finally {
    await file.close();
  }
  return out;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Opens a restored data folder as the app does and reads every document back. */
async function documentsOf(dataDir: string, databaseUrl = ''): Promise<Buffer[]> {
  const app = await createApp(configFrom({ dataDir, databaseUrl, logLevel: 'error' as const }));
  try {
    const files = await app.deps.documents.listStoredFiles();
    const out: Buffer[] = [];
    for (const f of files) {
      const chunks: Buffer[] = [];
      for await (const c of await app.deps.files.read(f)) chunks.push(c as Buffer);
      out.push(Buffer.concat(chunks));
    }
    return out;
  } finally {
    await app.stop(0);
  }
}

const sorted = (bufs: Buffer[]) => bufs.map((b) => b.toString('base64')).sort();

/** Books one appointment after another (30-minute slots from tomorrow) until stopped. */
function bookingLoop(app: App, clinic: Awaited<ReturnType<typeof seedClinic>>) {
  const acknowledged: string[] = [];
  let stop = false;
  let failed: unknown = null;
  const base = new Date();
  base.setUTCHours(0, 0, 0, 0);
  const slot = (i: number) =>
    new Date(base.getTime() + (1 + Math.floor(i / 40)) * 86_400_000 + (i % 40) * 1_800_000).toISOString();
  const running = (async () => {
    for (let i = 0; !stop; i++) {
      const a = await bookAppointment(app, clinic, clinic.patientIds[i % clinic.patientIds.length]!, slot(i));
      acknowledged.push(a.id);
      // As requests to a server would: SQLite's driver is synchronous, so back-to-back bookings
      // would otherwise never let a timer or a child process's output through.
      await sleep(2);
    }
  })().catch((e) => {
    failed = e;
  });
  return {
    acknowledged,
    async started(n: number) {
      while (acknowledged.length < n) {
        if (failed) throw failed;
        await sleep(20);
      }
    },
    async stop() {
      stop = true;
      await running;
      if (failed) throw failed;
    },
  };
}

describe('clinicbox backup and restore', () => {
  it('a backup taken while bookings are made restores every booking acknowledged before it began, its documents readable, and passes the checks', {
    timeout: 120_000,
  }, async () => {
    const databaseUrl = await newDatabase();
    const out = join(tempDir(), 'backups');
    let archive = '';
    let before: string[] = [];
    let all: string[] = [];
    const source = await clinicWithDocuments(databaseUrl, {}, 3, 40_000, async (app) => {
      const clinic = await seedClinic(app, { timeZone: 'UTC', practitioners: 1, patients: 4 });
      const every = '00:00-23:30';
      await app.deps.practitioners.save(systemActor, clinic.practitionerIds[0]!, {
        displayName: 'Dr Loop',
        title: 'Physiotherapist',
        bio: '',
        colour: '#3366cc',
        bookableOnline: true,
        serviceIds: [clinic.serviceId],
        hours: { 1: every, 2: every, 3: every, 4: every, 5: every, 6: every, 7: every },
      });
      const loop = bookingLoop(app, clinic);
      await loop.started(10);
      before = [...loop.acknowledged];
      try {
        archive = await backupTo(
          ['--data-dir', app.deps.config.dataPath, ...(databaseUrl ? ['--database-url', databaseUrl] : [])],
          out,
        );
      } finally {
        await loop.stop();
      }
      all = [...loop.acknowledged];
    });
    expect(all.length).toBeGreaterThan(before.length);

    const target = join(tempDir(), 'restored');
    const targetUrl = await newDatabase();
    const r = await restore(archive, target, targetUrl);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // quick_check on SQLite (the file is the one the backup's SHA-256 describes); verify runs the
    // full integrity check.
    expect(r.stdout).toMatch(/database check .*: ok/);
    expect(r.stdout).toMatch(/audit log intact: \d+ rows/);
    expect(r.stdout).toContain('documents: 3 of 3 files read back and match their SHA-256');
    expect(r.stdout).toMatch(/restored \d+ rows in \d+ tables .*3 files/);

    const app = await createApp(
      configFrom({ dataDir: target, databaseUrl: targetUrl, logLevel: 'error' as const }),
    );
    try {
      const { db } = app.deps;
      const rows = await db.reader.db
        .select({ id: db.reader.t.appointments.id })
        .from(db.reader.t.appointments);
      const restored = new Set(rows.map((row) => row.id));
      for (const id of before) expect(restored.has(id)).toBe(true);
      expect(restored.size).toBeLessThanOrEqual(all.length);
    } finally {
      await app.stop(0);
    }
    expect(sorted(await documentsOf(target, targetUrl))).toEqual(sorted(source.contents));

    const verified = await cli(['backup', 'verify', archive, '--identity-file', identityFile]);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('database integrity check: ok');
    expect(verified.stdout).toContain(`backup verified: ${archive}`);

    // A second restore into the same target is refused, and changes nothing.
    const db = join(target, 'clinicbox.db');
    const sizeBefore = databaseUrl ? 0 : readFileSync(db).length;
    const again = await restore(archive, target, targetUrl);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/refusing to restore: .*(exists|has tables|holds files)/);
    if (!databaseUrl) expect(readFileSync(db).length).toBe(sizeBefore);
  });

  it('opens in an emergency with standard tools: age -d (where installed) and tar x', {
    timeout: 120_000,
  }, async () => {
    const source = await clinicWithDocuments(await newDatabase(), {}, 1, 5_000);
    const archive = await backupTo(source.flags, join(tempDir(), 'backups'));
    const dir = tempDir();
    const tarFile = join(dir, 'backup.tar');
    if (existsSync('/usr/bin/age')) {
      execFileSync('/usr/bin/age', ['-d', '-i', identityFile, '-o', tarFile, archive]);
    } else {
      const d = new Decrypter();
      d.addIdentity(identity);
      writeFileSync(tarFile, await d.decrypt(readFileSync(archive)));
    }
    execFileSync('tar', ['xf', tarFile, '-C', dir]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.format).toBe('clinicbox-backup');
    expect(readFileSync(join(dir, 'keys/master.key'), 'utf8').trim()).toBe(
      readFileSync(join(source.dataDir, 'master.key'), 'utf8').trim(),
    );
    if (manifest.database) {
      // From SQLite: the database is one SQLite file, which sqlite opens as it is; format 3: the
      // stored files listed before the snapshot was complete come before it.
      expect(manifest.formatVersion).toBe(3);
      const names = execFileSync('tar', ['tf', tarFile], { encoding: 'utf8' }).trim().split('\n');
      expect(names[0]).toMatch(/^files\//);
      expect(manifest.database.part).toBe('db/clinicbox.sqlite');
      const file = await openSnapshotFile(join(dir, manifest.database.part));
      try {
        const emails: unknown[] = [];
        for await (const batch of file.rows('patients', ['email'], ['email'])) {
          emails.push(...batch.map((r) => r.email));
        }
        expect(emails[0]).toBe('ines@example.org');
      } finally {
        await file.close();
      }
    } else {
      const patients = readFileSync(join(dir, 'db/patients.ndjson'), 'utf8').trim().split('\n');
      expect(JSON.parse(patients[0]!).email).toBe('ines@example.org');
    }
    for (const f of manifest.files) expect(existsSync(join(dir, 'files', f.key))).toBe(true);
  });

  it('one flipped byte, a changed part, a newer Clinicbox or the wrong key: restore refuses, naming the part, and leaves the target empty', {
    timeout: 120_000,
  }, async () => {
    const databaseUrl = await newDatabase();
    const source = await clinicWithDocuments(databaseUrl, {}, 2, 300_000);
    const archive = await backupTo(source.flags, join(tempDir(), 'backups'));
    const parts = await partsByName(archive);
    const fileName = [...parts.keys()].find((n) => n.startsWith('files/'))!;

    // A byte in the middle of a stored file's encrypted bytes: age's authentication fails there.
    const d = new Decrypter();
    d.addIdentity(identity);
    const cipher = readFileSync(archive);
    const plain = Buffer.from(await d.decrypt(cipher));
    const at = plain.indexOf(parts.get(fileName)!) + 150_000;
    const headerEnd = cipher.indexOf('\n', cipher.indexOf('\n--- ') + 1) + 1;
    const offset = headerEnd + 16 + Math.floor(at / 65536) * (65536 + 16) + (at % 65536);
    const damaged = Buffer.from(cipher);
    damaged[offset]! ^= 0x01;
    const flipped = tempFile('flipped.tar.age', damaged);
    const target = join(tempDir(), 'restored');
    const targetUrl = await newDatabase();
    const r = await restore(flipped, target, targetUrl);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refusing to restore');
    expect(r.stderr).toContain(`in part ${fileName}`);
    expect(existsSync(target)).toBe(false);

    // A part changed and the archive encrypted again (with the right key): the manifest's
    // checksum names it.
    const reencrypted = async (changedParts: Map<string, Buffer>) => {
      const pack = tar.pack();
      for (const [name, body] of changedParts) pack.entry({ name, size: body.length }, body);
      pack.finalize();
      const chunks: Buffer[] = [];
      for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
      const e = new Encrypter();
      e.addRecipient(recipient);
      return tempFile('changed.tar.age', await e.encrypt(Buffer.concat(chunks)));
    };
    // (from SQLite the database is one file, db/clinicbox.sqlite; from PostgreSQL a part per table)
    const dbPart = manifestOf(parts).database?.part ?? 'db/patients.ndjson';
    const changed = Buffer.from(parts.get(dbPart)!);
    const ines = changed.indexOf('Ines');
    expect(ines).toBeGreaterThan(-1);
    changed[ines] = 'J'.charCodeAt(0);
    const r2 = await restore(await reencrypted(new Map([...parts, [dbPart, changed]])), target, targetUrl);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`part ${dbPart} does not match its checksum in the manifest`);
    expect(existsSync(target)).toBe(false);

    // A backup from a newer Clinicbox (a migration this one does not know) is refused.
    const manifest = JSON.parse(parts.get('manifest.json')!.toString());
    const newer = Buffer.from(JSON.stringify({ ...manifest, lastMigration: '9999_from_the_future' }));
    const r3 = await restore(
      await reencrypted(new Map([...parts, ['manifest.json', newer]])),
      target,
      targetUrl,
    );
    expect(r3.code).toBe(1);
    expect(r3.stderr).toContain('the backup comes from a newer Clinicbox');
    expect(existsSync(target)).toBe(false);

    // A backup in a newer archive format, with a part where this version's layout has none: refused
    // as a newer Clinicbox's (read on to its manifest), not as damaged.
    const [firstPart, ...otherParts] = parts;
    const future = Buffer.from(JSON.stringify({ ...manifest, formatVersion: 4 }));
    const r3b = await restore(
      await reencrypted(
        new Map([
          firstPart!,
          ['db/from_the_future.ndjson', Buffer.from('{}\n')],
          ...otherParts,
          ['manifest.json', future],
        ]),
      ),
      target,
      targetUrl,
    );
    expect(r3b.code).toBe(1);
    expect(r3b.stderr).toContain('made by a newer Clinicbox');
    expect(r3b.stderr).toContain('archive format version 4');
    expect(existsSync(target)).toBe(false);

    // The wrong key: refused at once.
    const other = tempFile('other.key', `${await generateX25519Identity()}\n`);
    const r4 = await cli(['restore', archive, '--data-dir', target, '--identity-file', other]);
    expect(r4.code).toBe(1);
    expect(r4.stderr).toContain('cannot open the archive');
    expect(existsSync(target)).toBe(false);
    if (targetUrl) {
      const check = await cli(['migrate', '--list', '--data-dir', target, '--database-url', targetUrl]);
      expect(check.stdout).toContain('applied: (none)');
    }

    // A database file whose rows are not what the manifest counts (a writer's bug, not damage:
    // the checksums match): found in the second pass, and the restore fails.
    if (manifest.database) {
      const miscounted = {
        ...manifest,
        tables: manifest.tables.map((t: { name: string; rows: number }) =>
          t.name === 'patients' ? { ...t, rows: t.rows + 1 } : t,
        ),
      };
      const r5 = await restore(
        await reencrypted(new Map([...parts, ['manifest.json', Buffer.from(JSON.stringify(miscounted))]])),
        target,
      );
      expect(r5.code).toBe(1);
      expect(r5.stderr).toMatch(
        /restore failed: db\/clinicbox\.sqlite: patients has \d+ rows where the manifest says \d+/,
      );
    }
  });

  it('a backup killed (SIGKILL) half-way leaves no archive with the final name', {
    timeout: 120_000,
  }, async () => {
    const databaseUrl = await newDatabase();
    const source = await clinicWithDocuments(databaseUrl, {}, 12, 3_000_000);
    const out = join(tempDir(), 'backups');
    const { child, finished } = await startCli(
      ['backup', ...source.flags, '--to', out, '--recipient', recipient, '--log-level', 'warn'],
      /files: 1 of 12/,
    );
    child.kill('SIGKILL');
    const end = await finished;
    expect(end.signal).toBe('SIGKILL');
    const left = existsSync(out) ? readdirSync(out) : [];
    expect(left.filter((n) => /^clinicbox-.*\.tar\.age$/.test(n))).toEqual([]);
    // The next backup clears what the killed one left (its partial archive and snapshot).
    await backupTo(source.flags, out);
    expect(readdirSync(out).filter((n) => n.includes('.partial-'))).toEqual([]);
    expect(readdirSync(source.dataDir).filter((n) => n.startsWith('.backup-snapshot-'))).toEqual([]);
  });

  it('backs up a clinic on S3 to S3 (the object appears only when whole) and restores it from there onto disk', {
    timeout: 120_000,
  }, async () => {
    const peer: S3Peer = await startS3Peer('fauxqs');
    const store = openS3Store(peer.settings('backups/'));
    try {
      const source = await clinicWithDocuments(await newDatabase(), s3Settings(peer, 'clinic'), 3, 50_000);
      const r = await cli([
        'backup',
        ...peer.flags('clinic'),
        ...source.flags,
        '--to',
        `s3://${peer.bucket}/backups`,
        '--recipient',
        recipient,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const keys: string[] = [];
      for await (const o of store.list()) keys.push(o.key);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(/^clinicbox-.*\.tar\.age$/);
      // Restored straight from the bucket (the --s3-* settings), onto disk.
      const target = join(tempDir(), 'restored');
      const restored = await cli([
        'restore',
        `s3://${peer.bucket}/backups/${keys[0]}`,
        ...peer.flags('clinic').filter((f) => !f.startsWith('--storage-url')),
        '--data-dir',
        target,
        '--identity-file',
        identityFile,
      ]);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      expect(restored.stdout).toContain('documents: 3 of 3 files read back');
      expect(sorted(await documentsOf(target))).toEqual(sorted(source.contents));
    } finally {
      store.close();
      await peer.stop();
    }
  });

  it('an archive the first writer made (the age library’s own encryption, sizes measured first) still restores and verifies', {
    timeout: 120_000,
  }, async () => {
    // Made by the code of commit 9c38c18 from a clinic of one patient and two 70 kB documents.
    const fixture = join(import.meta.dirname, 'fixtures', 'backup-format1.tar.age');
    const key = join(import.meta.dirname, 'fixtures', 'backup-format1.key');
    const target = join(tempDir(), 'restored');
    const targetUrl = await newDatabase();
    const r = await cli([
      'restore',
      fixture,
      '--data-dir',
      target,
      ...(targetUrl ? ['--database-url', targetUrl] : []),
      '--identity-file',
      key,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('documents: 2 of 2 files read back and match their SHA-256');
    expect(r.stdout).toMatch(/audit log intact: \d+ rows/);
    const verified = await cli(['backup', 'verify', fixture, '--identity-file', key]);
    expect(verified.code).toBe(0);
    // And a byte flipped in its second document's bytes is refused, naming that part.
    const d = new Decrypter();
    d.addIdentity(readFileSync(key, 'utf8').split('\n')[1]!);
    const cipher = readFileSync(fixture);
    const parts = new Map(await untar(Buffer.from(await d.decrypt(cipher))));
    const plain = Buffer.from(await d.decrypt(cipher));
    const second = [...parts.keys()].filter((n) => n.startsWith('files/'))[1]!;
    const at = plain.indexOf(parts.get(second)!) + 30_000;
    const headerEnd = cipher.indexOf('\n', cipher.indexOf('\n--- ') + 1) + 1;
    const damaged = Buffer.from(cipher);
    damaged[headerEnd + 16 + Math.floor(at / 65536) * (65536 + 16) + (at % 65536)]! ^= 0x80;
    const flipped = tempFile('flipped.tar.age', damaged);
    const refused = await cli(['backup', 'verify', flipped, '--identity-file', key]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`in part ${second}`);
  });

  it.runIf(pgUrl)(
    'SQLite → PostgreSQL → SQLite keeps every table’s rows and content',
    async () => {
      const source = await clinicWithDocuments('', {}, 2, 10_000);
      const a = await backupTo(source.flags, join(tempDir(), 'a'));
      const pgDir = join(tempDir(), 'pg');
      const pg = await newDatabase();
      const r1 = await restore(a, pgDir, pg);
      expect(r1.code).toBe(0);
      const b = await backupTo(['--data-dir', pgDir, '--database-url', pg], join(tempDir(), 'b'));
      const back = join(tempDir(), 'back');
      const r2 = await restore(b, back);
      expect(r2.code).toBe(0);
      const c = await backupTo(['--data-dir', back], join(tempDir(), 'c'));

      const [pa, pb, pc] = await Promise.all([partsByName(a), partsByName(b), partsByName(c)]);
      const [ma, mb, mc] = [manifestOf(pa), manifestOf(pb), manifestOf(pc)];
      expect([ma.sourceDialect, mb.sourceDialect, mc.sourceDialect]).toEqual([
        'sqlite',
        'postgres',
        'sqlite',
      ]);
      // SQLite's archives hold the database as one file, PostgreSQL's a part per table: compared
      // as the rows of each table encoded the one dialect-neutral way.
      expect([ma.database?.part, mb.database?.part, mc.database?.part]).toEqual([
        'db/clinicbox.sqlite',
        undefined,
        'db/clinicbox.sqlite',
      ]);
      const [ta, tb, tc] = await Promise.all([tablesOf(pa), tablesOf(pb), tablesOf(pc)]);
      for (const t of mb.tables) expect(sha256(tb.get(t.name)!), t.name).toBe(t.sha256);
      for (const t of ma.tables) {
        if (t.name === 'audit_log') {
          // Each restore appends its own row (backup.restored) after the backup's rows.
          expect(tb.get(t.name)!.subarray(0, ta.get(t.name)!.length).equals(ta.get(t.name)!)).toBe(true);
          expect(tc.get(t.name)!.subarray(0, tb.get(t.name)!.length).equals(tb.get(t.name)!)).toBe(true);
          expect(mc.tables.find((x) => x.name === t.name)!.rows).toBe(t.rows + 2);
          continue;
        }
        if (t.name === 'settings') continue; // the store recorded is the target's
        const rows = (m: ArchiveManifest) => m.tables.find((x) => x.name === t.name)!.rows;
        expect({ name: t.name, rows: rows(mb), sha256: sha256(tb.get(t.name)!) }).toEqual({
          name: t.name,
          rows: t.rows,
          sha256: sha256(ta.get(t.name)!),
        });
        expect({ name: t.name, rows: rows(mc), sha256: sha256(tc.get(t.name)!) }).toEqual({
          name: t.name,
          rows: t.rows,
          sha256: sha256(ta.get(t.name)!),
        });
      }
      const files = (p: Map<string, Buffer>) => [...p.keys()].filter((k) => k.startsWith('files/')).sort();
      expect(files(pc)).toEqual(files(pa));
      for (const f of files(pa)) expect(pc.get(f)!.equals(pa.get(f)!)).toBe(true);
      expect(sorted(await documentsOf(back))).toEqual(sorted(source.contents));
    },
    120_000,
  );
});
