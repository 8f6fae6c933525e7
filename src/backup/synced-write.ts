import type { FileHandle } from 'node:fs/promises';

/** How many bytes a long write goes between two syncs. */
const SYNC_EVERY = 64 << 20;

/**
 * Writes `chunks` to `file` and has them on disk before it answers (the bytes written). Synced as
 * it is written, one datasync in flight every 64 MB: the disk writes while the rest is made
 * (decrypted, hashed, sealed), and the last sync has little left to wait for — else hundreds of MB
 * are flushed only at the end, the kernel writing back on its own only after seconds or gigabytes.
 */
export async function writeSynced(file: FileHandle, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  let syncing: Promise<void> | null = null;
  let failed: unknown = null;
  let size = 0;
  let unsynced = 0;
  try {
    for await (const chunk of chunks) {
      if (failed) throw failed;
      await file.write(chunk);
      size += chunk.length;
      unsynced += chunk.length;
      if (unsynced >= SYNC_EVERY && !syncing) {
        unsynced = 0;
        syncing = file.datasync().then(
          () => {
            syncing = null;
          },
          (e: unknown) => {
            syncing = null;
            failed = e;
          },
        );
      }
    }
    await syncing;
    if (failed) throw failed;
    await file.sync();
    return size;
  } finally {
    await syncing; // never rejects: a failed sync is kept in `failed`
  }
}
