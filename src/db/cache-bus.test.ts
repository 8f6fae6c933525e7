import { describe, expect, it } from 'vitest';
import { createCache } from '../lib/cache.ts';
import { sleep } from '../testing/wait.ts';
import { cacheBus, REPEAT_MS, type RemoteChannel } from './cache-bus.ts';

/** A remote channel between buses, as PostgreSQL's NOTIFY is (every listener gets every payload). */
function fakeNotify() {
  const listeners = new Set<(p: string) => void>();
  const channel = (): RemoteChannel => ({
    notify: async (p) => {
      for (const l of listeners) l(p);
    },
    listen: async (on) => {
      listeners.add(on);
      return async () => {
        listeners.delete(on);
      };
    },
  });
  return { channel, listeners };
}

describe('the cache bus', () => {
  it('carries a delete, a prefix and a clear to the same-named caches on the same handle, not to others', () => {
    const bus = cacheBus();
    const a = createCache<string>('sessions', { max: 10, ttlMs: 60_000, bus });
    const b = createCache<string>('sessions', { max: 10, ttlMs: 60_000, bus });
    const other = createCache<string>('settings', { max: 10, ttlMs: 60_000, bus });
    for (const c of [a, b, other]) for (const k of ['s1', 's2', 'x1']) c.set(k, 'v');
    a.delete('s1');
    expect([b.get('s1'), b.get('s2'), other.get('s1')]).toEqual([undefined, 'v', 'v']);
    a.deletePrefix('s');
    expect([b.get('s2'), b.get('x1')]).toEqual([undefined, 'v']);
    a.clear();
    expect([b.size, other.size]).toEqual([0, 3]);
    return bus.close();
  });

  it('between processes: applied on arrival and again a moment later (a value re-read before the change committed does not stay)', async () => {
    const remote = fakeNotify();
    const here = cacheBus(remote.channel());
    const there = cacheBus(remote.channel());
    const mine = createCache<string>('sessions', { max: 10, ttlMs: 60_000, bus: here });
    const theirs = createCache<string>('sessions', { max: 10, ttlMs: 60_000, bus: there });
    await sleep(10); // listening
    theirs.set('s1', 'valid');
    mine.delete('s1');
    await sleep(5);
    expect(theirs.get('s1')).toBeUndefined();
    theirs.set('s1', 'read before the commit'); // the other instance re-read the old row
    await sleep(REPEAT_MS + 100);
    expect(theirs.get('s1')).toBeUndefined();
    await Promise.all([here.close(), there.close()]);
    expect(remote.listeners.size).toBe(0);
  });

  it('does not apply its own notifications twice, nor anything after closing', async () => {
    const remote = fakeNotify();
    const bus = cacheBus(remote.channel());
    const applied: string[] = [];
    bus.subscribe({}, (m) => applied.push(m.op));
    await sleep(10);
    bus.publish({}, { cache: 'c', op: 'clear' });
    await sleep(REPEAT_MS + 100);
    expect(applied).toEqual(['clear', 'clear']); // on arrival and the repeat, not again through NOTIFY
    await bus.close();
    bus.publish({}, { cache: 'c', op: 'clear' });
    await sleep(REPEAT_MS + 50);
    expect(applied).toHaveLength(2);
  });
});
