import { describe, expect, it } from 'vitest';
import { gate } from '../testing/wait.ts';
import { createCache } from './cache.ts';

describe('the cache', () => {
  it('expires entries after their TTL and bounds the entry count', () => {
    let now = 1000;
    const c = createCache<string>('t', { max: 2, ttlMs: 100, now: () => now });
    c.set('a', 'A');
    c.set('b', 'B');
    c.get('a');
    c.set('c', 'C'); // evicts b, the least recently used
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual(['A', undefined, 'C']);
    now += 101;
    expect(c.get('a')).toBeUndefined();
  });

  it('shares one load between concurrent misses', async () => {
    const c = createCache<number>('t', { max: 10, ttlMs: 1000 });
    let loads = 0;
    const loaded = gate();
    const load = async () => {
      loads++;
      await loaded.opened; // still loading when the second miss comes
      return 42;
    };
    const both = Promise.all([c.getOrLoad('k', load), c.getOrLoad('k', load)]);
    loaded.open();
    expect(await both).toEqual([42, 42]);
    expect(loads).toBe(1);
    expect(await c.getOrLoad('k', load)).toBe(42);
    expect(loads).toBe(1);
  });

  it('does not cache a load that an invalidation overtook', async () => {
    const c = createCache<string>('t', { max: 10, ttlMs: 1000 });
    let release!: () => void;
    const pending = c.getOrLoad('session:1', () => new Promise((r) => (release = () => r('stale'))));
    c.deletePrefix('session:');
    release();
    expect(await pending).toBe('stale');
    expect(c.get('session:1')).toBeUndefined();
  });

  it('does not cache a value read before a delete of any key (setIfUnchanged)', () => {
    const cache = createCache<string>('t', { max: 10, ttlMs: 60_000 });
    const since = cache.version();
    cache.delete('other-session');
    expect(cache.setIfUnchanged('session', 'read before the sign-out', since)).toBe(false);
    expect(cache.get('session')).toBeUndefined();
    expect(cache.setIfUnchanged('session', 'read after', cache.version())).toBe(true);
    expect(cache.get('session')).toBe('read after');
  });

  it('counts a value’s lifetime from the read it came from (version), never from a later set or hit', () => {
    let now = 1000;
    const cache = createCache<string>('t', { max: 10, ttlMs: 100, now: () => now });
    const read = cache.version();
    now += 60; // the read, and what followed it, took 60 ms
    expect(cache.setIfUnchanged('session', 'read at 1000', read)).toBe(true);
    now += 30;
    expect(cache.replace('session', 'changed, same expiry')).toBe(true);
    now += 11; // 101 ms after the read
    expect(cache.get('session')).toBeUndefined();
    expect(cache.replace('session', 'gone')).toBe(false); // replace never brings an entry back
    expect(cache.get('session')).toBeUndefined();
    const late = cache.version();
    now += 101;
    expect(cache.setIfUnchanged('session', 'read too long ago', late)).toBe(false);
    expect(cache.get('session')).toBeUndefined();
  });

  it('invalidates by key and by prefix', () => {
    const c = createCache<number>('t', { max: 10, ttlMs: 1000 });
    c.set('acct:1:s1', 1);
    c.set('acct:1:s2', 2);
    c.set('acct:2:s1', 3);
    c.delete('acct:2:s1');
    c.deletePrefix('acct:1:');
    expect(c.size).toBe(0);
  });
});
