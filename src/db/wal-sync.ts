import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { syncFolder } from '../lib/durable-file.ts';

/**
 * Makes SQLite commits durable off the event loop. With `synchronous = FULL`, SQLite fsyncs the
 * WAL inside COMMIT, on the one thread that also serves every request: measured on the 2-core
 * machine, COMMIT's fsync was a third of an audited read's time, with nothing else running
 * meanwhile. So the writer commits with `synchronous = NORMAL` (the WAL is written, not synced)
 * and this syncs the WAL file on the thread pool (`fdatasync`, which is per file, whatever the
 * descriptor) before a transaction is told it committed: an acknowledged commit is on disk, as
 * with FULL, while the next group of transactions runs.
 *
 * One sync in flight at a time; commits that arrive while it runs wait for the next one (their
 * frames may have been written after it started). SQLite's writer (sqlite.ts) starts its next
 * group only once a group's sync is done: the event loop is free meanwhile, and transactions asked
 * for during the sync gather into one group — run during it instead, groups came out small and
 * wrote the same pages to the WAL again and again (20k vs 7.5–10k transactions/s in a probe). The WAL keeps its file while a connection is
 * open (SQLite truncates or rewrites it in place, never replaces it), so one descriptor serves.
 * Checkpoints stay SQLite's: under NORMAL it syncs the WAL before and the database after each one.
 *
 * What changes from FULL: until the sync completes, other requests can already read a commit
 * that a power cut would still undo — the writer of it is never told it committed, and a later
 * commit is never durable without it (one file, synced in order).
 */
export interface WalSync {
  /** Resolves once every commit made before the call is on disk. */
  durable(): Promise<void>;
  /** Waits for the sync in flight, then closes the descriptor. */
  close(): Promise<void>;
}

type Sync = (fd: number) => Promise<void>;

const fdatasyncAsync: Sync = (fd) =>
  new Promise((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));

export function walSync(databasePath: string, sync: Sync = fdatasyncAsync): WalSync {
  let fd: number | null = null;
  let running: Promise<void> | null = null;
  let waiting: { resolve(): void; reject(e: unknown): void }[] = [];

  // Opened at the first commit (SQLite creates the WAL then); its directory entry synced once,
  // so a WAL file new since the last start survives a power cut too. Opened again should the file
  // ever be another than the one held (a sync of a removed file would sync nothing that matters).
  const walFd = () => {
    if (fd !== null && fstatSync(fd).ino !== statSync(`${databasePath}-wal`).ino) {
      closeSync(fd);
      fd = null;
    }
    if (fd === null) {
      fd = openSync(`${databasePath}-wal`, 'r');
      syncFolder(dirname(databasePath));
    }
    return fd;
  };

  const run = async () => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await sync(walFd());
        for (const w of batch) w.resolve();
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
    }
    // In the same turn as the last look at `waiting`: a commit arriving later starts a new run.
    running = null;
  };

  return {
    durable() {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        running ??= run();
      });
    },
    async close() {
      while (running) await running;
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
