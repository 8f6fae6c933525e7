import { LRUCache } from 'lru-cache';

/**
 * The in-memory cache (what Redis is in the classic design): bounded by entry count and TTL,
 * with explicit invalidation. Each use (sessions, settings, availability) makes its own named
 * cache so one cannot evict another. Per-instance: when scaled out, keep TTLs short and
 * invalidate on every write you make.
 */
export interface Cache<V extends {}> {
  readonly name: string;
  get(key: string): V | undefined;
  /** Like get, but does not make the entry recently used. */
  peek(key: string): V | undefined;
  set(key: string, value: V, ttlMs?: number): void;
  /** Returns the cached value or loads, caches and returns it; concurrent misses share one load. */
  getOrLoad(key: string, load: () => Promise<V>): Promise<V>;
  /** How many invalidations so far: take it before a read that may race a delete. */
  version(): number;
  /**
   * Caches the value unless something was deleted or cleared since `version` — a value read
   * before a sign-out landed must not be cached after it. Returns whether it was cached.
   */
  setIfUnchanged(key: string, value: V, version: number): boolean;
  delete(key: string): void;
  /** Drops every key that starts with `prefix` (e.g. all sessions of one account). */
  deletePrefix(prefix: string): void;
  clear(): void;
  readonly size: number;
}

export interface CacheOptions {
  /** Most entries kept; the least recently used go first. */
  max: number;
  /** Default time to live in ms. */
  ttlMs: number;
  /** Clock for TTLs (tests); defaults to performance.now. */
  now?: () => number;
}

export function createCache<V extends {}>(name: string, options: CacheOptions): Cache<V> {
  if (!(options.max > 0) || !(options.ttlMs > 0)) throw new Error(`cache ${name}: max and ttlMs must be > 0`);
  const lru = new LRUCache<string, V>({
    // Bounded by a size of 1 per entry rather than `max`: lru-cache allocates arrays for `max`
    // entries up front (about 40 bytes each, 2 MB for 50,000), and most caches stay nearly empty.
    maxSize: options.max,
    sizeCalculation: () => 1,
    ttl: options.ttlMs,
    ttlAutopurge: false,
    updateAgeOnGet: false,
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });
  const loading = new Map<string, Promise<V>>();
  // Bumped on every invalidation, so a load that started before it does not cache stale data.
  let generation = 0;

  return {
    name,
    get: (key) => lru.get(key),
    peek: (key) => lru.peek(key),
    set: (key, value, ttlMs) => {
      lru.set(key, value, ttlMs ? { ttl: ttlMs } : undefined);
    },
    version: () => generation,
    setIfUnchanged(key, value, version) {
      if (generation !== version) return false;
      lru.set(key, value);
      return true;
    },
    async getOrLoad(key, load) {
      const hit = lru.get(key);
      if (hit !== undefined) return hit;
      const pending = loading.get(key);
      if (pending) return pending;
      const startedAt = generation;
      const p = load()
        .then((v) => {
          if (generation === startedAt) lru.set(key, v);
          return v;
        })
        .finally(() => loading.delete(key));
      loading.set(key, p);
      return p;
    },
    delete: (key) => {
      generation++;
      lru.delete(key);
      loading.delete(key);
    },
    deletePrefix: (prefix) => {
      generation++;
      for (const key of [...lru.keys()]) if (key.startsWith(prefix)) lru.delete(key);
      for (const key of [...loading.keys()]) if (key.startsWith(prefix)) loading.delete(key);
    },
    clear: () => {
      generation++;
      lru.clear();
      loading.clear();
    },
    get size() {
      return lru.size;
    },
  };
}
