import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a secret file (0600) so that after a crash it holds either its old contents or the new,
 * whole: a temporary file, fsynced, renamed over the path, then the folder fsynced.
 */
export function writeDurably(path: string, text: string): void {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
  fsyncPath(temp);
  renameSync(temp, path);
  syncFolder(dirname(path));
}

/** Makes a rename or a new file in `folder` survive a crash (no-op on Windows). */
export function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  fsyncPath(folder);
}

/** Flushes the file or folder at `path` to disk. */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
