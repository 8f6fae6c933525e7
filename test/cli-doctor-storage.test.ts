import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/testing/process.ts';
import { tempDir, tempFile } from './cli-setup.ts';

/** Every file under `dir` (relative paths), none when it is not there. */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
  } catch {
    return [];
  }
}

/**
 * Issue 16: `clinicbox doctor` writes, reads and deletes a probe object in the file store — here on
 * disk (the data folder's `files`, and a `file:` folder that cannot be written); on S3 (and an
 * unreachable endpoint): test/cli-storage.test.ts.
 */
describe('clinicbox doctor: the file store', () => {
  it('writes, reads and deletes a probe object on disk, leaving nothing; a folder it cannot write is a problem', async () => {
    const dataDir = join(tempDir(), 'data');
    const ok = await runCli(['doctor', '--data-dir', dataDir]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const files = join(dataDir, 'files');
    expect(ok.stdout).toMatch(
      new RegExp(`^ok\\s+file storage\\s+file:${files}: wrote, read and deleted a probe object$`, 'm'),
    );
    expect(filesUnder(files)).toEqual([]);

    // A store whose folder is a file: nothing can be written under it (also as root).
    const blocked = tempFile('not-a-folder', 'x');
    const bad = await runCli(['doctor', '--data-dir', dataDir, '--storage-url', `file:${blocked}`]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      new RegExp(
        `^PROBLEM\\s+file storage\\s+file:${blocked}: could not write a probe object \\(.+\\)$`,
        'm',
      ),
    );
  }, 60_000);
});
