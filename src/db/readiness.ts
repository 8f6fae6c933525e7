import { type Db, ping } from './client.ts';
import { readMigrationStatus } from './migrate.ts';

export interface Readiness {
  ready: boolean;
  database: Db['dialect'];
  reason?: string;
  pending?: string[];
}

/** Ready means: the database answers and every migration this binary knows is applied. */
export async function checkReadiness(db: Db): Promise<Readiness> {
  if (!(await ping(db))) return { ready: false, database: db.dialect, reason: 'database unreachable' };
  const status = await readMigrationStatus(db);
  if (status.unknown.length > 0)
    return { ready: false, database: db.dialect, reason: 'database is newer than this version' };
  if (status.pending.length > 0) {
    return { ready: false, database: db.dialect, reason: 'migrations not applied', pending: status.pending };
  }
  return { ready: true, database: db.dialect };
}
