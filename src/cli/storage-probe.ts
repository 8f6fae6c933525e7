import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Db } from '../db/client.ts';
import type { BlobStore } from '../storage/index.ts';
import { readStorageRecord, sameStorage } from './storage-record.ts';

/** One line of doctor's report. */
export type DoctorLine = (ok: boolean, what: string, detail: string) => void;

/**
 * Doctor's check of the file store: writes a small probe object, reads it back, deletes it and
 * checks it is gone — so wrong S3 credentials, a missing bucket or a read-only folder show now
 * rather than at the first upload. The probe holds random bytes, never a document.
 */
export async function probeStore(store: BlobStore, line: DoctorLine): Promise<void> {
  const key = `doctor/probe-${randomBytes(8).toString('hex')}`;
  const bytes = randomBytes(1024);
  let step = 'write';
  try {
    await store.put(key, Readable.from([bytes]));
    step = 'read';
    const back = Buffer.concat(await (await store.get(key)).toArray());
    if (!back.equals(bytes)) throw new Error('the bytes read back differ from those written');
    step = 'delete';
    await store.delete(key);
    if (await store.head(key)) throw new Error('the probe is still there after its delete');
    line(true, 'file storage', `${store.location}: wrote, read and deleted a probe object`);
  } catch (e) {
    await store.delete(key).catch(() => {});
    line(
      false,
      'file storage',
      `${store.location}: could not ${step} a probe object (${(e as Error).message})`,
    );
  }
}

/** Whether `--storage-url` is the store recorded as the clinic's (doctor only reports; it records nothing). */
export async function checkStorageRecord(
  db: Db,
  config: { storageUrl: string; dataPath: string },
  line: DoctorLine,
): Promise<void> {
  const record = await readStorageRecord(db);
  if (!record) return;
  const same = sameStorage(record.url, config.storageUrl, config.dataPath);
  line(
    same,
    'storage url',
    same
      ? `the clinic's store since ${record.since.slice(0, 10)}`
      : `--storage-url ${config.storageUrl}, but the documents are in ${record.url}: serve and worker refuse to start with it (give --storage-url ${record.url}, or move them with storage migrate)`,
  );
}
