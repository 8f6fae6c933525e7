import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openDiskStore } from '../storage/disk-store.ts';
import { fileVault } from '../storage/file-vault.ts';
import type { FileVault, StoredFile } from '../storage/types.ts';
import { testKeys } from './keys.ts';
import { drain, streamOf as streamPieces } from './streams.ts';

/*
 * The vault on a real disk store in a temp folder. Small chunks (16 bytes) put every edge case a
 * few bytes apart; the default chunk size is used where size matters (memory, speed).
 */

export const C = 16;
const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A vault in a fresh temp folder, with 16-byte chunks, or the default size when `chunkSize` is null. */
export function vaultIn(
  chunkSize: number | null = C,
  key = testKeys.files,
): { vault: FileVault; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'clinicbox-vault-'));
  folders.push(root);
  return { vault: fileVault(openDiskStore(root), key, chunkSize ? { chunkSize } : {}), root };
}

/** The plaintext (or a range), or the read's error thrown. */
export async function readAll(vault: FileVault, file: StoredFile, range?: { start: number; end?: number }) {
  const { bytes, error } = await drain(await vault.read(file, range));
  if (error) throw error;
  return bytes;
}

/** Uploads arrive in odd sizes: 7-byte pieces by default. */
export const streamOf = (bytes: Buffer, piece = 7) => streamPieces(bytes, piece);

export const write = (vault: FileVault, bytes: Buffer, maxBytes = 1 << 20) =>
  vault.write(streamOf(bytes), { keyHint: 'documents/p1/d1', maxBytes });

export const objectPath = (root: string, file: StoredFile) => join(root, ...file.objectKey.split('/'));
export const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
