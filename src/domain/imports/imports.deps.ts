import type { AreaDeps } from '../area.ts';
import type { ImportDeps } from './run-import.ts';

/** What the imports area's use cases are given (index.ts builds it once). */
export interface ImportsDeps extends ImportDeps, AreaDeps<'log' | 'queue' | 'files'> {}

/** The largest CSV file the admin page takes (the CLI reads any size from the disk). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** How long the rejected-rows file of a finished import is kept. */
export const REJECTED_FILE_TTL_MS = 7 * 86_400_000;
