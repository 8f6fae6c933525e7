import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { findSettingValue, insertSettingIfMissing } from '../clinic/index.ts';

/**
 * A key made once, at first use, and kept in the settings table so every instance and every
 * restart uses the same one (VAPID keys, the unsubscribe-link signing key). Two instances racing
 * at first start both insert-or-ignore and then read the one that won. Never logged.
 */
export function storedKey<T>(deps: { db: Db; clock: Clock }, key: string, make: () => Promise<T>) {
  let loaded: Promise<T> | undefined;
  const load = async (): Promise<T> => {
    const read = () => findSettingValue<T>(deps.db.reader, key);
    const existing = await read();
    if (existing) return existing;
    const value = await make();
    await deps.db.tx((ctx) => insertSettingIfMissing(ctx, key, value, deps.clock.now()));
    return (await read()) ?? value;
  };
  return (): Promise<T> => {
    loaded ??= load().catch((e) => {
      loaded = undefined;
      throw e;
    });
    return loaded;
  };
}
