/** The ways of storing a file the bench compares: each puts a stream and reads it back whole. */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { clinicKeys, Key } from '../../src/lib/crypto.ts';
import { openDiskStore } from '../../src/storage/disk-store.ts';
import { fileVault } from '../../src/storage/file-vault.ts';
import { openS3Store, parseS3Url, type S3StoreSettings, s3ClientConfig } from '../../src/storage/s3-store.ts';
import type { BlobStore } from '../../src/storage/types.ts';

export type SystemId = 'plain-copy' | 'disk-vault' | 'raw-sdk' | 's3-store' | 's3-vault';

export interface System {
  id: SystemId;
  label: string;
  /** The row this one is compared with (itself for a baseline). */
  baseline: SystemId;
  /** Stores the stream; returns how to read it back and how to remove it. */
  put(body: Readable): Promise<{ read(): Promise<Readable>; remove(): Promise<void> }>;
  close(): Promise<void>;
}

const PART = 5 * 1024 * 1024;
/** Parts in flight for the raw SDK's Upload; Clinicbox's S3 rows use the store's default (1) unless BENCH_S3_QUEUE is set. */
const QUEUE = Number(process.env.BENCH_S3_QUEUE ?? 2);
const storeQueue = process.env.BENCH_S3_QUEUE ? { queueSize: QUEUE } : {};
let n = 0;
const nextKey = () => `bench/f${++n}`;

/** The stream's chunks written to a file, then fsync: what any durable copy pays, with nothing else. */
function plainCopy(dir: string): System {
  return {
    id: 'plain-copy',
    label: 'plain file copy (write + fsync)',
    baseline: 'plain-copy',
    async put(body) {
      const path = join(dir, `plain-${++n}`);
      const file = await open(path, 'w', 0o600);
      try {
        for await (const chunk of body) await file.write(chunk as Buffer);
        await file.sync();
      } finally {
        await file.close();
      }
      return { read: async () => createReadStream(path), remove: () => rm(path, { force: true }) };
    },
    close: async () => {},
  };
}

/** The vault (AES-256-GCM chunks + SHA-256) over a blob store: what a document upload does. */
function vaultOver(store: BlobStore, id: SystemId, label: string, baseline: SystemId): System {
  const vault = fileVault(store, clinicKeys(Key.fromBytes(randomBytes(32))).files);
  return {
    id,
    label,
    baseline,
    async put(body) {
      const file = await vault.write(body, { keyHint: nextKey(), maxBytes: Number.MAX_SAFE_INTEGER });
      return { read: () => vault.read(file), remove: () => vault.remove(file.objectKey) };
    },
    close: async () => {},
  };
}

/** The SDK's own Upload and GetObject, no Clinicbox code: the S3 baseline. */
function rawSdk(settings: S3StoreSettings): System {
  const client = new S3Client(s3ClientConfig(settings));
  const { bucket: Bucket } = parseS3Url(settings.url);
  return {
    id: 'raw-sdk',
    label: 'raw SDK Upload / GetObject',
    baseline: 'raw-sdk',
    async put(body) {
      const Key = nextKey();
      await new Upload({
        client,
        params: { Bucket, Key, Body: body },
        partSize: PART,
        queueSize: QUEUE,
      }).done();
      return {
        read: async () => (await client.send(new GetObjectCommand({ Bucket, Key }))).Body as Readable,
        remove: async () => {
          await client.send(new DeleteObjectCommand({ Bucket, Key }));
        },
      };
    },
    close: async () => client.destroy(),
  };
}

export function makeSystems(dir: string, s3: S3StoreSettings): System[] {
  const s3Store = openS3Store({ ...s3, partSize: PART, ...storeQueue });
  const s3StoreForVault = openS3Store({ ...s3, partSize: PART, ...storeQueue });
  return [
    plainCopy(dir),
    vaultOver(openDiskStore(join(dir, 'files')), 'disk-vault', 'Clinicbox disk, encrypted', 'plain-copy'),
    rawSdk(s3),
    {
      id: 's3-store',
      label: 'Clinicbox S3 store, not encrypted',
      baseline: 'raw-sdk',
      async put(body) {
        const key = nextKey();
        await s3Store.put(key, body);
        return { read: () => s3Store.get(key), remove: () => s3Store.delete(key) };
      },
      close: async () => s3Store.close(),
    },
    {
      ...vaultOver(s3StoreForVault, 's3-vault', 'Clinicbox S3, encrypted', 'raw-sdk'),
      close: async () => s3StoreForVault.close(),
    },
  ];
}
