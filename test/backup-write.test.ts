import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowEncoder } from '../src/backup/format.ts';
import { BackupError, backupStream, type Manifest, rowLine, tableSpecs } from '../src/backup/index.ts';
import type { DbSnapshot } from '../src/db/snapshot.ts';
import { openSnapshot } from '../src/db/snapshot.ts';
import type { BlobStore } from '../src/storage/index.ts';
import { archiveParts } from '../src/testing/archive.ts';
import { seedClinic } from '../src/testing/factories.ts';
import { tempDir } from './cli-setup.ts';
import { clinicWithDocuments, databasesPerTest } from './cli-storage-world.ts';

/**
 * The backup writer's one pass over the snapshot: each row encoded once (the same bytes as the
 * first writer's rowLine), large table parts spooled to a file and read back, or, without a spool
 * file, read from the snapshot a second time and checked to be the same.
 */
const newDatabase = databasesPerTest();
let identity = '';
let recipient = '';
beforeAll(async () => {
  identity = await generateX25519Identity();
  recipient = await identityToRecipient(identity);
});

const noProgress = { step() {}, bytes() {} };

/** The archive's parts by name. */
const partsOf = async (bytes: AsyncIterable<Uint8Array>) => new Map(await archiveParts(bytes, identity));

/** One table (patients) of `rows` rows with a 1 kB name each: larger than a part held in memory. */
function bigSnapshot(rows: number, changeOnSecondRead = false): DbSnapshot {
  let reads = 0;
  return {
    dialect: 'sqlite',
    migrations: async () => ['0000_first'],
    tableNames: async () => new Set(['patients']),
    rowCount: async () => rows,
    async *rows() {
      const read = reads++;
      for (let i = 0; i < rows; i += 500) {
        yield Array.from({ length: Math.min(500, rows - i) }, (_, k) => ({
          id: `patient-${String(i + k).padStart(6, '0')}`,
          first_name: `${changeOnSecondRead && read === 1 && i + k === 4000 ? 'Y' : 'X'}${'n'.repeat(1000)}`,
          last_name: 'Ünïcode "quoted" \n line',
        }));
      }
    },
    close: async () => {},
  };
}

const oneFileStore = (body: Buffer): BlobStore =>
  ({
    location: 'memory:',
    async *list() {
      yield { key: 'documents/a/b', size: body.length, modifiedAt: new Date(0) };
    },
    get: async () => Readable.from([body]),
  }) as unknown as BlobStore;

const sourceOf = (snapshot: DbSnapshot, spoolPath?: string) => ({
  snapshot,
  store: oneFileStore(Buffer.alloc(100_000, 7)),
  masterKey: Buffer.from('key\n'),
  retiredKeys: null,
  knownMigrations: ['0000_first'],
  clinicboxVersion: 'test',
  now: () => new Date('2026-12-04T00:00:00Z'),
  spoolPath,
});

describe('backup writer', () => {
  it('encodes every row of a real clinic (this dialect) to the bytes the first writer wrote', {
    timeout: 60_000,
  }, async () => {
    const databaseUrl = await newDatabase();
    const clinic = await clinicWithDocuments(databaseUrl, {}, 1, 1_000, async (app) => {
      await seedClinic(app, { timeZone: 'Europe/Lisbon', practitioners: 2, patients: 3 });
    });
    const snapshot = await openSnapshot({
      url: databaseUrl,
      sqlitePath: clinic.config.sqlitePath,
      tempPath: join(clinic.dataDir, '.backup-snapshot-test.db'),
    });
    try {
      const present = await snapshot.tableNames();
      let rows = 0;
      for (const spec of tableSpecs(snapshot.dialect).filter((s) => present.has(s.name))) {
        const names = [...spec.columns.keys()];
        const encode = rowEncoder(spec, names);
        for await (const batch of snapshot.rows(spec.name, names, spec.primaryKey)) {
          for (const row of batch) {
            expect(encode(row), spec.name).toBe(rowLine(spec, names, row));
            rows++;
          }
        }
      }
      expect(rows).toBeGreaterThan(20);
    } finally {
      await snapshot.close();
    }
  });

  it('spools a large table part to a file (removed after), or reads it twice without one: the same archive', {
    timeout: 60_000,
  }, async () => {
    const spec = tableSpecs('sqlite').find((s) => s.name === 'patients')!;
    const names = [...spec.columns.keys()];
    const expected: string[] = [];
    for await (const batch of bigSnapshot(6_000).rows('patients', names, ['id'])) {
      for (const row of batch) expected.push(rowLine(spec, names, row));
    }
    const part = Buffer.from(expected.join(''));
    expect(part.length).toBeGreaterThan(5 << 20);

    const dir = tempDir();
    const spoolPath = join(dir, '.backup-snapshot-1.db-spool');
    const encryption = { kind: 'recipients' as const, recipients: [recipient] };
    for (const spool of [spoolPath, undefined]) {
      let sawSpool = false;
      const progress = {
        step() {
          sawSpool ||= existsSync(spoolPath);
        },
        bytes() {},
      };
      const { bytes, manifest } = await backupStream(
        sourceOf(bigSnapshot(6_000), spool),
        encryption,
        progress,
      );
      const parts = await partsOf(bytes);
      const m: Manifest = await manifest;
      expect(parts.get('db/patients.ndjson')!.equals(part)).toBe(true);
      expect(m.tables).toEqual([
        expect.objectContaining({ name: 'patients', rows: 6_000, size: part.length }),
      ]);
      expect(parts.get('files/documents/a/b')!.equals(Buffer.alloc(100_000, 7))).toBe(true);
      expect(sawSpool).toBe(spool !== undefined);
      expect(readdirSync(dir)).toEqual([]);
    }

    // Read twice from a snapshot that answers differently the second time: refused.
    const { bytes, manifest } = await backupStream(
      sourceOf(bigSnapshot(6_000, true)),
      encryption,
      noProgress,
    );
    await expect(partsOf(bytes)).rejects.toThrow(/read differently twice/);
    await expect(manifest).rejects.toThrow(BackupError);
  });
});
