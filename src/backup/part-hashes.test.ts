import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PartHashes } from './part-hashes.ts';

const MiB = 1024 * 1024;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Feeds `bytes` in pieces of the sizes given, cycling. */
async function feed(hashes: PartHashes, part: number, bytes: Buffer, pieces: number[]) {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.min(pieces[i % pieces.length]!, bytes.length - at);
    // The caller may reuse its buffer once update answers: overwrite it to prove the copy.
    const piece = Buffer.from(bytes.subarray(at, at + n));
    await hashes.update(part, piece);
    piece.fill(0);
    at += n;
  }
  hashes.end(part);
}

describe('PartHashes (SHA-256 of archive parts on a thread)', () => {
  it('answers each part’s SHA-256 across block edges, for empty parts, and asked early or late', async () => {
    const sizes = [0, 1, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 0, 0, 13 * MiB + 7, 65536, 0, 3];
    const parts = sizes.map((n) => randomBytes(n));
    const hashes = new PartHashes();
    try {
      const late: [number, Buffer][] = [];
      for (const [i, bytes] of parts.entries()) {
        const part = hashes.begin();
        await feed(hashes, part, bytes, [65536, 1000, 3 * MiB, 1]);
        // Every third part asked for at once (its block sent alone), the rest after the last.
        if (i % 3 === 0) expect(await hashes.sum(part)).toBe(sha(bytes));
        else late.push([part, bytes]);
      }
      await hashes.finish();
      for (const [part, bytes] of late) expect(await hashes.sum(part)).toBe(sha(bytes));
    } finally {
      await hashes.close();
    }
  });

  it('many small parts with every slot out: none is lost and the order holds', async () => {
    const hashes = new PartHashes();
    try {
      const parts = Array.from({ length: 300 }, (_, i) =>
        randomBytes(i % 7 === 0 ? 0 : 1 + ((i * 7919) % 300_000)),
      );
      const ids: number[] = [];
      for (const bytes of parts) {
        const part = hashes.begin();
        ids.push(part);
        await feed(hashes, part, bytes, [4096]);
      }
      await hashes.finish();
      const sums = await Promise.all(ids.map((p) => hashes.sum(p)));
      expect(sums).toEqual(parts.map(sha));
    } finally {
      await hashes.close();
    }
  });

  it('a part not ended by close is refused, not left waiting', async () => {
    const hashes = new PartHashes();
    const part = hashes.begin();
    await hashes.update(part, randomBytes(1000));
    const sum = hashes.sum(part);
    await hashes.close();
    await expect(sum).rejects.toThrow(/closed before this part was hashed/);
  });
});
