import type { DbCtx } from '../../db/client.ts';
import type { Key } from '../../lib/crypto.ts';
import { sealedRow } from './append-audit-row.ts';
import { isKeyedWith, unkeyedAuditHash } from './audit.chain.ts';
import { countUnsealedAuditRows, findOldestUnsealedAuditRow, listAuditRowsAfter } from './audit.repo.ts';
import { GENESIS_HASH } from './audit.schema.ts';

export interface VerifyResult {
  ok: boolean;
  rows: number;
  /** The hash of the last row that verified (the genesis hash for an empty log). */
  head: string;
  /**
   * That row's position in the chain, its `seq` (null for an empty log; the id, for rows from
   * before sealing): record `headId:head` to detect rows cut from the end.
   */
  headId: number | null;
  /**
   * How many rows, from the first, are on the unkeyed chain written before the master key
   * (0 for a log begun with it); the keyed row after them vouches for them.
   */
  unkeyed: number;
  /** Rows committed but not sealed yet (normally only those of the last few milliseconds). */
  unsealed: number;
  /**
   * The first row whose hash or link does not match (or the recorded head that is gone), and why:
   * `id` is its position in the chain (seq), `rowId` its id in the table when it is not the same.
   * A row left unsealed for longer than `unsealedGraceMs` is named too (by its id).
   */
  brokenAt?: { id: number; reason: string; rowId?: number };
}

/** A head recorded earlier (`clinicbox audit verify` prints it): that row must still be in the chain. */
export interface ExpectedHead {
  /** Its position in the chain (seq). */
  id: number;
  hash: string;
}

const PAGE = 2000;

/** How long a committed row may stay unsealed before verify calls it a problem (the sealer runs within ms). */
export const UNSEALED_GRACE_MS = 10_000;

/**
 * Walks the whole chain in order, in pages, and names the first row that does not match. Every
 * row must carry its keyed hash (HMAC under the audit key, audit.chain.ts) — or, for rows written
 * before `clinicbox keys rotate`, under a retired key (`retiredKeys`, oldest first): keys only
 * follow one another forward, so once a row is keyed with a newer key no later row may be keyed
 * with an older one, and the first row under the new key vouches for those before it — except a run of rows
 * at the start written before the master key: those carry the unkeyed hash, and the keyed row
 * after them, whose hash covers theirs, vouches for them. A row on the unkeyed chain after a
 * keyed one is a row recomputed without the key; a log with no keyed row at all vouches for
 * nothing (every running app keys an older log at start, appending `audit.chain-keyed`). The
 * chain alone cannot show rows cut from its end (what is left still links): given a head
 * recorded earlier, that row must still be there with the same hash.
 *
 * The chain is walked by position (`seq`): rows are sealed after they commit (append-audit-row.ts).
 * A sealed row's hash covers its insert MAC, which must verify with one of the keys. A row still
 * unsealed after `unsealedGraceMs` (measured on `now`) is named as a problem: no sealer has run
 * (the sealer's own errors are logged), or the row was slipped in by hand.
 */
export async function verifyAuditChain(
  ctx: DbCtx,
  key: Key,
  options: { expectHead?: ExpectedHead; retiredKeys?: Key[]; now?: Date; unsealedGraceMs?: number } = {},
): Promise<VerifyResult> {
  const expected = options.expectHead;
  const keys = [...(options.retiredKeys ?? []), key];
  const oldestUnsealed = await findOldestUnsealedAuditRow(ctx);
  const unsealed = oldestUnsealed ? await countUnsealedAuditRows(ctx) : 0;
  // The oldest key the next row may be keyed with.
  let epoch = 0;
  let prev = GENESIS_HASH;
  let headId: number | null = null;
  let rows = 0;
  let unkeyed = 0;
  let firstId: number | null = null;
  let afterSeq = 0;
  let sawExpected = false;
  const broken = (id: number, reason: string, rowId?: number): VerifyResult => ({
    ok: false,
    rows,
    head: prev,
    headId,
    unkeyed,
    unsealed,
    brokenAt: rowId === undefined || rowId === id ? { id, reason } : { id, reason, rowId },
  });
  for (;;) {
    const page = await listAuditRowsAfter(ctx, afterSeq, PAGE);
    if (page.length === 0) {
      if (unkeyed > 0 && unkeyed === rows) {
        return broken(
          firstId!,
          'no row is keyed with the master key: the log was rewritten without the key (or was written before it and Clinicbox has not started since)',
        );
      }
      if (epoch < keys.length - 1 && rows > unkeyed) {
        return broken(
          headId!,
          'no row is keyed with the current master key although an older one was retired: the rows written since the rotation are missing, or were rewritten with the retired key',
        );
      }
      if (expected && !sawExpected) {
        return broken(
          expected.id,
          'the recorded head row is missing (rows were removed from the end of the log)',
        );
      }
      const grace = options.unsealedGraceMs ?? UNSEALED_GRACE_MS;
      const now = options.now ?? new Date();
      if (oldestUnsealed && now.getTime() - oldestUnsealed.at.getTime() > grace) {
        return broken(
          oldestUnsealed.id,
          `audit row id ${oldestUnsealed.id} (of ${unsealed} unsealed) was committed ${oldestUnsealed.at.toISOString()} and is still not sealed into the chain: no Clinicbox instance has sealed since (see its log), or the row was slipped in by hand`,
          oldestUnsealed.id,
        );
      }
      return { ok: true, rows, head: prev, headId, unkeyed, unsealed };
    }
    for (const stored of page) {
      const row = sealedRow(stored);
      firstId ??= row.seq;
      if (row.prevHash !== prev) {
        return broken(
          row.seq,
          'its link to the previous row does not match (a row before it was removed or changed)',
          row.id,
        );
      }
      const keyedWith = keys.findIndex((k, i) => i >= epoch && isKeyedWith(k, row, keys));
      if (keyedWith >= 0) epoch = keyedWith;
      else if (unkeyed === rows && unkeyedAuditHash(row.prevHash, row) === row.hash) unkeyed++;
      else {
        return broken(
          row.seq,
          'its contents do not match its hash (the row was changed, or the chain recomputed without the master key)',
          row.id,
        );
      }
      if (expected && !sawExpected && row.seq >= expected.id) {
        if (row.seq !== expected.id || row.hash !== expected.hash) {
          return broken(
            expected.id,
            'the row there is not the recorded head (the log was rewritten or the head mistyped)',
          );
        }
        sawExpected = true;
      }
      prev = row.hash;
      headId = row.seq;
      rows++;
      afterSeq = row.seq;
    }
  }
}
