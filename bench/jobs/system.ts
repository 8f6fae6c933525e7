/** What the benchmark asks of each queue it measures, and a throw-away PostgreSQL database. */
import postgres from 'postgres';
import { pgAdminUrl, rand } from './settings.ts';

export interface Payload {
  i: number;
  /** performance.now() just before the enqueue call (latency phase only). */
  t?: number;
}
export type OnStart = (p: Payload) => void;

export interface System {
  /** Adds one job (one call, one transaction where the system has them). */
  enqueue(p: Payload): Promise<unknown>;
  /** Starts processing; `onStart` is called on entry to the handler, once per run of a job. */
  startWorker(onStart: OnStart): Promise<void>;
  /** Jobs the system itself reports as completed. */
  completed(): Promise<number>;
  /** Deletes jobs not started yet (after a drain that hit its time limit). */
  purge(): Promise<void>;
  /** After the enqueue phase, before the worker: checks to print (query plans). */
  afterEnqueue?(): Promise<string[]>;
  close(): Promise<void>;
}

/** One connection to the database named in BENCH_PG_URL, for CREATE/DROP DATABASE and settings. */
export const pgAdmin = () => postgres(pgAdminUrl.toString(), { max: 1, onnotice: () => {} });

/** A new, empty database named after `prefix`; `drop()` removes it, connections and all. */
export async function withPgDatabase(prefix: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${rand()}`;
  const admin = pgAdmin();
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return {
    name,
    async drop() {
      const a = pgAdmin();
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end({ timeout: 5 });
      }
    },
  };
}
