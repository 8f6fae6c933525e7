import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { isSealedSecret, type Key, openSecret, sealSecret } from '../../lib/crypto.ts';
import { resealSecret } from '../../lib/keyring.ts';
import { findSettingValue, insertSettingIfMissing, listSettings, upsertSetting } from '../clinic/index.ts';

/**
 * A key made once, at first use, and kept in the settings table so every instance and every
 * restart uses the same one (VAPID keys, the unsubscribe-link signing key). Two instances racing
 * at first start both insert-or-ignore and then read the one that won. Never logged, and never
 * in the database in clear: kept as `{ sealed }` (AES-256-GCM under the secrets key derived from
 * the master key, bound to its settings key). A value kept in clear by an older version is
 * sealed in place the first time it is loaded (each area loads its keys at start).
 */
export function storedKey<T>(
  deps: { db: Db; clock: Clock; secrets: Key },
  key: string,
  make: () => Promise<T>,
) {
  const seal = (value: T): Sealed => ({ sealed: sealSecret(deps.secrets, JSON.stringify(value), key) });
  const open = (stored: Sealed): T => JSON.parse(openSecret(deps.secrets, stored.sealed, key)) as T;
  let loaded: Promise<T> | undefined;
  const load = async (): Promise<T> => {
    const read = () => findSettingValue<unknown>(deps.db.reader, key);
    const existing = await read();
    if (isSealed(existing)) return open(existing);
    if (existing) {
      const value = existing as T;
      await deps.db.tx((ctx) => upsertSetting(ctx, key, seal(value), deps.clock.now()));
      return value;
    }
    const value = await make();
    await deps.db.tx((ctx) => insertSettingIfMissing(ctx, key, seal(value), deps.clock.now()));
    const stored = await read();
    return isSealed(stored) ? open(stored) : value;
  };
  return (): Promise<T> => {
    loaded ??= load().catch((e) => {
      loaded = undefined;
      throw e;
    });
    return loaded;
  };
}

/**
 * `clinicbox keys rotate`: every stored key (`{ sealed }` under its settings key) sealed again
 * under the new secrets key; one already under `to` (a rotation resumed) is left. Answers how many.
 */
export async function resealStoredKeys(deps: { db: Db; clock: Clock; from: Key; to: Key }): Promise<number> {
  let resealed = 0;
  for (const { key, value } of await listSettings(deps.db.reader)) {
    const sealed = isSealed(value) ? resealSecret(deps.from, deps.to, value.sealed, key) : null;
    if (sealed === null) continue;
    await deps.db.tx((ctx) => upsertSetting(ctx, key, { sealed } satisfies Sealed, deps.clock.now()));
    resealed++;
  }
  return resealed;
}

interface Sealed {
  sealed: string;
}

const isSealed = (value: unknown): value is Sealed =>
  typeof value === 'object' && value !== null && isSealedSecret((value as Partial<Sealed>).sealed);
