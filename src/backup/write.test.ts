import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterAll, describe, expect, it } from 'vitest';
import type { DbSnapshot } from '../db/snapshot.ts';
import type { BlobStore, ObjectInfo } from '../storage/index.ts';
import { archiveParts } from '../testing/archive.ts';
import type { Manifest } from './format.ts';
import { backupStream } from './write.ts';

/**
 * From SQLite the files listed at the start are written while the snapshot is made; once it is
 * complete the store is listed again and what was stored meanwhile follows the database part, so
 * every object a row of the snapshot can name is in the archive.
 */
const dir = mkdtempSync(join(tmpdir(), 'clinicbox-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function memoryStore(objects: Map<string, Buffer>): BlobStore {
  return {
    location: 'memory:',
    async put() {
      throw new Error('not here');
    },
    async get(key) {
      return Readable.from([objects.get(key)!]);
    },
    async head() {
      return null;
    },
    async delete() {},
    async *list(): AsyncGenerator<ObjectInfo> {
      for (const [key, body] of objects) yield { key, size: body.length, modifiedAt: new Date(0) };
    },
  };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('backup writer, SQLite', () => {
  it('writes the files listed first while the snapshot is made, then the database, then the files stored meanwhile', async () => {
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);
    const file = join(dir, 'snapshot.db');
    const database = Buffer.alloc(3 * 65_536 + 7, 5);
    writeFileSync(file, database);
    const objects = new Map([
      ['a/1', Buffer.alloc(5 << 20, 1)],
      ['a/2', Buffer.alloc(100, 2)],
    ]);
    const snapshot: DbSnapshot = {
      dialect: 'sqlite',
      file,
      migrations: async () => ['0000_first'],
      tableNames: async () => new Set(),
      rows: async function* () {},
      rowCount: async () => 0,
      close: async () => {},
    };
    let complete!: (s: DbSnapshot) => void;
    const snapshotting = new Promise<DbSnapshot>((resolve) => {
      complete = resolve;
    });
    const { bytes, manifest } = await backupStream(
      {
        snapshot: snapshotting,
        store: memoryStore(objects),
        masterKey: Buffer.from('key\n'),
        retiredKeys: null,
        knownMigrations: ['0000_first'],
        clinicboxVersion: 'test',
        now: () => new Date('2026-12-06T08:00:00Z'),
      },
      { kind: 'recipients', recipients: [recipient] },
      { step() {}, bytes() {} },
    );
    // A document stored (and its row committed) while the snapshot is taken.
    setTimeout(() => {
      objects.set('b/3', Buffer.alloc(70_000, 3));
      complete(snapshot);
    }, 50);
    const parts = await archiveParts(bytes, identity);
    expect(parts.map(([name]) => name)).toEqual([
      'files/a/1',
      'files/a/2',
      'db/clinicbox.sqlite',
      'files/b/3',
      'keys/master.key',
      'manifest.json',
    ]);
    const m = (await manifest) as Manifest;
    expect(JSON.parse(parts.at(-1)![1].toString())).toEqual(m);
    expect(m.database).toEqual({ part: 'db/clinicbox.sqlite', size: database.length, sha256: sha(database) });
    expect(m.files).toEqual(
      [...objects].map(([key, body]) => ({ key, size: body.length, sha256: sha(body) })),
    );
    for (const [name, body] of parts.slice(0, 4)) {
      expect(body.equals(name.startsWith('files/') ? objects.get(name.slice(6))! : database)).toBe(true);
    }
  });
});
