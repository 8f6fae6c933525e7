import type { CacheBus, CacheInvalidation } from '../lib/cache.ts';
import { newId } from '../lib/ids.ts';

/**
 * The database's cache bus (lib/cache.ts `CacheBus`): an invalidation made by one cache reaches
 * every other cache of that name in this process that shares the database handle, and — given a
 * remote channel (PostgreSQL LISTEN/NOTIFY) — every other process on the same database.
 *
 * A cache is often invalidated just before its change commits (a sign-out clears the cached
 * session, then deletes the row). Another instance that reads in between would cache the old value
 * again; so each invalidation is applied on arrival and once more `REPEAT_MS` later, which bounds
 * how long a stale value can live to well under a second. The TTLs stay as the safety net (a lost
 * notification, a connection being re-made).
 */
export const REPEAT_MS = 300;

export interface RemoteChannel {
  notify(payload: string): Promise<void>;
  /** Starts listening; answers how to stop. */
  listen(onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}

export interface DbCacheBus extends CacheBus {
  close(): Promise<void>;
}

export function cacheBus(remote?: RemoteChannel, onError: (e: unknown) => void = () => {}): DbCacheBus {
  const origin = newId();
  const subscribers = new Map<object, (m: CacheInvalidation) => void>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopListening: Promise<(() => Promise<void>) | null> | null = null;
  let closed = false;

  const deliver = (m: CacheInvalidation, except?: object) => {
    const run = () => {
      for (const [cache, apply] of subscribers) if (cache !== except) apply(m);
    };
    run();
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, REPEAT_MS);
    timer.unref?.();
    timers.add(timer);
  };

  const startListening = () => {
    if (!remote || stopListening || closed) return;
    stopListening = remote
      .listen((payload) => {
        try {
          const m = JSON.parse(payload) as CacheInvalidation & { origin?: string };
          if (m.origin === origin || typeof m.cache !== 'string') return; // delivered here already
          deliver({ cache: m.cache, op: m.op, key: m.key });
        } catch (e) {
          onError(e);
        }
      })
      .catch((e) => {
        onError(e);
        return null;
      });
  };

  return {
    subscribe(cache, apply) {
      subscribers.set(cache, apply);
      startListening();
    },
    publish(from, m) {
      if (closed) return; // the database is closed: nothing shares it any more
      deliver(m, from);
      remote?.notify(JSON.stringify({ ...m, origin })).catch(onError);
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stop = await stopListening;
      await stop?.().catch(onError);
    },
  };
}
