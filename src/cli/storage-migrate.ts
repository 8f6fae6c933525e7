import type { FileVault, StoredFile } from '../storage/types.ts';

/**
 * The copying half of `clinicbox storage migrate`: every stored file goes from one store to the
 * other as it is — the encrypted object, byte for byte, never decrypted and encrypted again — and
 * is then read back through the vault on the target (every chunk authenticated, the plaintext's
 * SHA-256 compared), so a file counts as moved only when the target really gives it back. A run
 * that was killed resumes: a file already on the target with the source's size that reads back
 * right is left as it is. Files added while it runs are taken by a further pass.
 */
export interface MigrateProgress {
  /** Files handled so far (copied, already there, or failed) and how many there are. */
  done: number;
  total: number;
  /** Encrypted bytes handled so far and in all. */
  bytes: number;
  totalBytes: number;
  copied: number;
  alreadyThere: number;
  failed: number;
}

export interface MigrateFailure {
  objectKey: string;
  reason: string;
}

export interface MigrateOutcome extends MigrateProgress {
  failures: MigrateFailure[];
}

export async function copyStoredFiles(options: {
  source: FileVault;
  target: FileVault;
  /** Every stored file the documents rows point to (deleted ones not yet purged included). */
  listFiles: () => Promise<StoredFile[]>;
  onProgress: (p: MigrateProgress) => void;
}): Promise<MigrateOutcome> {
  const { source, target } = options;
  const seen = new Set<string>();
  const failures: MigrateFailure[] = [];
  const p: MigrateProgress = {
    done: 0,
    total: 0,
    bytes: 0,
    totalBytes: 0,
    copied: 0,
    alreadyThere: 0,
    failed: 0,
  };
  for (;;) {
    const fresh = (await options.listFiles()).filter((f) => !seen.has(f.objectKey));
    if (fresh.length === 0) break;
    const sizes = new Map<string, number | null>();
    for (const f of fresh) {
      seen.add(f.objectKey);
      const info = await source.store.head(f.objectKey);
      sizes.set(f.objectKey, info?.size ?? null);
      p.total++;
      p.totalBytes += info?.size ?? 0;
    }
    for (const file of fresh) {
      const size = sizes.get(file.objectKey) ?? null;
      const outcome = await moveOne(source, target, file, size);
      if (outcome === 'copied') p.copied++;
      else if (outcome === 'already there') p.alreadyThere++;
      else {
        p.failed++;
        failures.push({ objectKey: file.objectKey, reason: outcome.failed });
      }
      p.done++;
      p.bytes += size ?? 0;
      options.onProgress({ ...p });
    }
  }
  return { ...p, failures };
}

type Outcome = 'copied' | 'already there' | { failed: string };

async function moveOne(
  source: FileVault,
  target: FileVault,
  file: StoredFile,
  size: number | null,
): Promise<Outcome> {
  if (size === null) return { failed: 'missing on the source store' };
  const there = await target.store.head(file.objectKey);
  if (there && there.size === size && (await readsBack(target, file))) return 'already there';
  try {
    await target.store.put(file.objectKey, await source.store.get(file.objectKey));
  } catch (e) {
    await target.store.delete(file.objectKey).catch(() => {});
    return { failed: `copy failed: ${(e as Error).message}` };
  }
  if (await readsBack(target, file)) return 'copied';
  // Not left on the target to be taken for a good copy by a later run.
  await target.store.delete(file.objectKey).catch(() => {});
  return {
    failed: (await readsBack(source, file))
      ? 'the copy on the target does not read back right'
      : 'damaged on the source store (it fails its own check there too): restore it from a backup',
  };
}

async function readsBack(vault: FileVault, file: StoredFile): Promise<boolean> {
  try {
    await vault.verify(file);
    return true;
  } catch {
    return false;
  }
}
