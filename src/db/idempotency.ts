import { eq, lt } from 'drizzle-orm';
import { AppError } from '../lib/errors.ts';
import type { Db, DbCtx } from './client.ts';
import { deleteWhere, findRow } from './rows.ts';

/**
 * Idempotency keys for retried requests (a double-tapped "Book", a phone on a bad network).
 * `remembered` is called inside the caller's transaction, after it holds whatever lock serializes
 * the work, so a retry either sees the first response or waits for it; the first response is
 * stored in the same transaction as the work, so they commit together or not at all.
 */
export interface StoredResponse<T> {
  status: number;
  body: T;
  replayed: boolean;
}

export async function remembered<T>(
  ctx: DbCtx,
  key: string | null,
  fingerprint: string,
  now: Date,
  work: () => Promise<{ status: number; body: T }>,
): Promise<StoredResponse<T>> {
  if (!key) return { ...(await work()), replayed: false };
  const t = ctx.t.idempotencyKeys;
  const seen = await findRow(ctx, t, eq(t.key, key));
  if (seen) {
    if (seen.fingerprint !== fingerprint) {
      throw new AppError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request.',
        { status: 422 },
      );
    }
    return { status: seen.status, body: seen.body as T, replayed: true };
  }
  const result = await work();
  await ctx.db
    .insert(t)
    .values({ key, fingerprint, status: result.status, body: result.body, createdAt: now });
  return { ...result, replayed: false };
}

/** Forgets keys older than `before` (a retry a day later is a new request). */
export async function pruneIdempotencyKeys(db: Db, before: Date): Promise<number> {
  return db.tx(async (ctx) => {
    const t = ctx.t.idempotencyKeys;
    return deleteWhere(ctx, t, lt(t.createdAt, before));
  });
}
