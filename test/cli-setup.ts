import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A new empty folder for one test's run of the clinicbox command (its working folder, or the
 * parent of the data folder it makes): the shared set-up of test/cli-*.test.ts.
 */
export const tempDir = () => mkdtempSync(join(tmpdir(), 'clinicbox-cli-'));

/** A file named `name` holding `contents`, alone in a new temp folder: its path. */
export function tempFile(name: string, contents: string | Uint8Array): string {
  const path = join(tempDir(), name);
  writeFileSync(path, contents);
  return path;
}
