import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';

/**
 * One live process per instance id. A worker's start-up hands back the jobs an earlier process
 * with its id left running, which is right only if that process is dead: two `clinicbox worker`
 * on one host share the default id `<host>-worker`, and the second would take the first's jobs.
 *
 * So a worker holds its id: a row `jobs.instance:<id>` in `settings` naming the host, the process
 * id and a token, with `updated_at` as a heartbeat. The id is free when there is no row, when its
 * process is gone (same host, no such pid — a SIGKILLed worker's restart takes its id back at
 * once), or when its heartbeat is older than `staleMs` (another host that died). Otherwise the
 * next of `<id>-2`, `<id>-3`… is tried: a second process runs under its own id, never refused.
 * Workers of one process are told apart by a registry, since they share the pid.
 */
export interface HeldInstanceId {
  readonly id: string;
  /** Refreshes the heartbeat; false when another process has taken the id meanwhile. */
  beat(): Promise<boolean>;
  /** Gives the id up (clean shutdown). */
  release(): Promise<void>;
}

export interface InstanceIds {
  acquire(wanted: string): Promise<HeldInstanceId>;
}

interface Holder {
  host: string;
  pid: number;
  token: string;
}

/** Ids held by workers of this process, by database location: the pid cannot tell them apart. */
const heldHere = new Set<string>();

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, another user's
  }
};

export function instanceIds(deps: {
  db: Db;
  clock: Clock;
  /** A holder whose heartbeat is older than this is taken for dead (default 5 minutes). */
  staleMs?: number;
  /** Tests: this process's host name and liveness check. */
  host?: string;
  alive?: (pid: number) => boolean;
}): InstanceIds {
  const { db, clock } = deps;
  const staleMs = deps.staleMs ?? 5 * 60_000;
  const host = deps.host ?? hostname();
  const alive = deps.alive ?? isAlive;
  const { settings } = db.reader.t;
  const keyOf = (id: string) => `jobs.instance:${id}`;
  const localKey = (id: string) => `${db.location}\n${id}`;

  const free = (holder: Holder, beatAt: Date, id: string): boolean => {
    if (clock.now().getTime() - beatAt.getTime() > staleMs) return true;
    if (holder.host !== host) return false;
    // Our own pid: another worker of this process, or an earlier process that had our pid
    // (a container's PID 1 after a restart).
    if (holder.pid === process.pid) return !heldHere.has(localKey(id));
    return !alive(holder.pid);
  };

  /** Takes `id` if free: insert, or replace a dead holder's row if nobody changed it meanwhile. */
  const tryTake = (id: string, me: Holder) =>
    db.tx(async ({ db: q }) => {
      const now = clock.now();
      const key = keyOf(id);
      const inserted = await q
        .insert(settings)
        .values({ key, value: me, updatedAt: now })
        .onConflictDoNothing()
        .returning({ key: settings.key });
      if (inserted.length) return true;
      const [row] = await q.select().from(settings).where(eq(settings.key, key));
      if (!row || !free(row.value as Holder, row.updatedAt, id)) return false;
      const taken = await q
        .update(settings)
        .set({ value: me, updatedAt: now })
        .where(and(eq(settings.key, key), eq(settings.updatedAt, row.updatedAt)))
        .returning({ key: settings.key });
      return taken.length === 1;
    });

  return {
    async acquire(wanted) {
      const me: Holder = { host, pid: process.pid, token: randomUUID() };
      let id = wanted;
      for (let n = 2; heldHere.has(localKey(id)) || !(await tryTake(id, me)); n++) {
        if (n > 1000) throw new Error(`no free instance id from ${wanted} to ${wanted}-1000`);
        id = `${wanted}-${n}`;
      }
      heldHere.add(localKey(id));
      const key = keyOf(id);
      const mine = async (q: Db['reader']['db']) => {
        const [row] = await q.select().from(settings).where(eq(settings.key, key));
        return (row?.value as Holder | undefined)?.token === me.token;
      };
      return {
        id,
        beat: () =>
          db.tx(async ({ db: q }) => {
            if (!(await mine(q))) return false;
            await q.update(settings).set({ updatedAt: clock.now() }).where(eq(settings.key, key));
            return true;
          }),
        async release() {
          heldHere.delete(localKey(id));
          await db.tx(async ({ db: q }) => {
            if (await mine(q)) await q.delete(settings).where(eq(settings.key, key));
          });
        },
      };
    },
  };
}
