import { LRUCache } from 'lru-cache';

/**
 * The in-memory cache (what Redis is in the classic design): bounded by entry count and TTL,
 * with explicit invalidation. Each use (sessions, settings, availability) makes its own named
 * cache so one cannot evict another. Per-instance: when scaled out, keep TTLs short and
 * invalidate on every write you make. A value read from the database lives its TTL counted from
 * that read, never longer: another instance's change reaches this one within the TTL.
 */

/** Taken before a read that may race an invalidation: the invalidations so far and when the read began. */
export interface CacheVersion {
  readonly generation: number;
  readonly at: number;
}

export interface Cache<V extends {}> {
  readonly name: string;
  get(key: string): V | undefined;
  /** Like get, but does not make the entry recently used. */
  peek(key: string): V | undefined;
  set(key: string, value: V, ttlMs?: number): void;
  /** Returns the cached value or loads, caches and returns it; concurrent misses share one load. */
  getOrLoad(key: string, load: () => Promise<V>): Promise<V>;
  /** Take it before a read that may race a delete (see setIfUnchanged). */
  version(): CacheVersion;
  /**
   * Caches the value read since `version` for what is left of the TTL counted from then — unless
   * something was deleted or cleared since (a value read before a sign-out landed must not be
   * cached after it) or nothing is left. Returns whether it was cached.
   */
  setIfUnchanged(key: string, value: V, version: CacheVersion): boolean;
  /** Changes a cached value, keeping its expiry; nothing (false) when the key is not cached. */
  replace(key: string, value: V): boolean;
  delete(key: string): void;
  /** Drops every key that starts with `prefix` (e.g. all sessions of one account). */
  deletePrefix(prefix: string): void;
  clear(): void;
  readonly size: number;
}

/** One invalidation, as it travels between the caches of one name (db/cache-bus.ts). */
export interface CacheInvalidation {
  cache: string;
  op: 'delete' | 'prefix' | 'clear';
  key?: string | undefined;
}

/**
 * Carries invalidations to the other caches of the same name: those of other instances on the
 * same database (PostgreSQL LISTEN/NOTIFY) or sharing its handle. `from` is the publishing cache,
 * which does not get its own message back.
 */
export interface CacheBus {
  publish(from: object, message: CacheInvalidation): void;
  subscribe(cache: object, apply: (message: CacheInvalidation) => void): void;
}

export interface CacheOptions {
  /** Most entries kept; the least recently used go first. */
  max: number;
  /** Default time to live in ms. */
  ttlMs: number;
  /** Clock for TTLs (tests); defaults to performance.now. */
  now?: () => number;
  /**
   * Where this cache's invalidations go, and come from: a value another instance changed leaves
   * this one's cache within a second instead of its TTL (the database's `cacheBus`).
   */
  bus?: CacheBus;
}

/** Lookups per cache name in this process, for /metrics: how often a get found its value. */
export interface CacheCounts {
  hits: number;
  misses: number;
}

// Per name, not per cache object: a handful of names, so it never grows (tests make many apps).
const counts = new Map<string, CacheCounts>();

/** Hits and misses of every cache by name since the process started. */
export function cacheCounts(): ReadonlyMap<string, Readonly<CacheCounts>> {
  return counts;
}

export function createCache<V extends {}>(name: string, options: CacheOptions): Cache<V> {
  if (!(options.max > 0) || !(options.ttlMs > 0)) throw new Error(`cache ${name}: max and ttlMs must be > 0`);
  const counted = counts.get(name) ?? { hits: 0, misses: 0 };
  counts.set(name, counted);
  const lookup = (key: string): V | undefined => {
    const value = lru.get(key);
    if (value === undefined) counted.misses++;
    else counted.hits++;
    return value;
  };
  const now = options.now ?? (() => performance.now());
  const lru = new LRUCache<string, V>({
    // Bounded by a size of 1 per entry rather than `max`: lru-cache allocates arrays for `max`
    // entries up front (about 40 bytes each, 2 MB for 50,000), and most caches stay nearly empty.
    maxSize: options.max,
    sizeCalculation: () => 1,
    ttl: options.ttlMs,
    ttlAutopurge: false,
    updateAgeOnGet: false,
    // The clock versions are taken on, so an entry's age counts from its read.
    perf: { now },
    ...(options.now ? { ttlResolution: 0 } : {}),
  });
  const loading = new Map<string, Promise<V>>();
  // Bumped on every invalidation, so a load that started before it does not cache stale data.
  let generation = 0;
  const version = (): CacheVersion => ({ generation, at: now() });
  const setIfUnchanged = (key: string, value: V, since: CacheVersion) => {
    if (generation !== since.generation || now() - since.at >= options.ttlMs) return false;
    lru.set(key, value, { start: since.at });
    return true;
  };

  const apply = (m: CacheInvalidation) => {
    generation++;
    const key = m.key ?? '';
    if (m.op === 'delete') {
      lru.delete(key);
      loading.delete(key);
    } else if (m.op === 'prefix') {
      for (const k of [...lru.keys()]) if (k.startsWith(key)) lru.delete(k);
      for (const k of [...loading.keys()]) if (k.startsWith(key)) loading.delete(k);
    } else {
      lru.clear();
      loading.clear();
    }
  };
  const self = {};
  options.bus?.subscribe(self, (m) => {
    if (m.cache === name) apply(m);
  });
  const invalidate = (m: CacheInvalidation) => {
    apply(m);
    options.bus?.publish(self, m);
  };

  return {
    name,
    get: lookup,
    peek: (key) => lru.peek(key),
    set: (key, value, ttlMs) => {
      lru.set(key, value, ttlMs ? { ttl: ttlMs } : undefined);
    },
    version,
    setIfUnchanged,
    replace(key, value) {
      if (!lru.has(key)) return false;
      lru.set(key, value, { noUpdateTTL: true });
      return true;
    },
    async getOrLoad(key, load) {
      const hit = lookup(key);
      if (hit !== undefined) return hit;
      const pending = loading.get(key);
      if (pending) return pending;
      const startedAt = version();
      const p = load()
        .then((v) => {
          setIfUnchanged(key, v, startedAt);
          return v;
        })
        .finally(() => loading.delete(key));
      loading.set(key, p);
      return p;
    },
    delete: (key) => invalidate({ cache: name, op: 'delete', key }),
    deletePrefix: (prefix) => invalidate({ cache: name, op: 'prefix', key: prefix }),
    clear: () => invalidate({ cache: name, op: 'clear' }),
    get size() {
      return lru.size;
    },
  };
}
