import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A new empty folder for one test's run of the clinicbox command (its working folder, or the
 * parent of the data folder it makes): the shared set-up of test/cli-*.test.ts.
 */
export const tempDir = () => mkdtempSync(join(tmpdir(), 'clinicbox-cli-'));
