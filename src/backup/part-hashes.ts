import { type BlockAnswer, type BlockThread, blockThread } from './age-worker.ts';

const SLOT = 4 * 1024 * 1024;
const SLOTS = 4;

/**
 * SHA-256 of a read archive's parts on a thread of its own (the backup's hashing thread), so a
 * restore decrypts, parses and writes on its main thread while the last blocks are hashed: each
 * part's bytes are copied into shared blocks (a memcpy costs a tenth of hashing them) and a block
 * is sent when full, when a sum is asked for a part it ends, or at `finish`. Sums come back in the
 * order the blocks went.
 */
export class PartHashes {
  private readonly plain = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT));
  private readonly views = this.plain.map((b) => Buffer.from(b));
  private readonly free: number[] = this.plain.map((_, i) => i);
  private readonly waitingForSlot: (() => void)[] = [];
  private readonly sums = new Map<number, { promise: Promise<string>; settle: Settle }>();
  private readonly thread: BlockThread;
  private failure: Error | null = null;
  private sent = 0;
  private answered = 0;
  private idle: (() => void) | null = null;
  private slot = -1;
  private at = 0;
  private segments: number[] = [];
  private ends: number[] = [];
  private parts = 0;

  constructor() {
    this.thread = blockThread(
      null,
      { plain: this.plain, sealed: [] },
      (a) => this.onAnswer(a),
      (e) => this.fail(e),
    );
  }

  /** A new part: its number, for `update` and `end`. */
  begin(): number {
    const part = this.parts++;
    let settle!: Settle;
    const promise = new Promise<string>((resolve, reject) => {
      settle = { resolve, reject };
    });
    promise.catch(() => {});
    this.sums.set(part, { promise, settle });
    return part;
  }

  /** `bytes` are the part's next bytes (copied: the caller may reuse them at once). */
  async update(part: number, bytes: Uint8Array): Promise<void> {
    for (let from = 0; from < bytes.length; ) {
      if (this.failure) throw this.failure;
      if (this.slot < 0) await this.takeSlot();
      const n = Math.min(SLOT - this.at, bytes.length - from);
      this.views[this.slot]!.set(bytes.subarray(from, from + n), this.at);
      const s = this.segments;
      // A part's bytes next to its previous ones in the block: one range.
      if (s.length && s[s.length - 3] === part && s[s.length - 1] === this.at) s[s.length - 1] = this.at + n;
      else s.push(part, this.at, this.at + n);
      this.at += n;
      from += n;
      if (this.at === SLOT) this.send();
    }
  }

  /** The part has no more bytes. */
  end(part: number): void {
    this.ends.push(part);
  }

  /** The part's SHA-256 (hex), once `end` was called for it. */
  sum(part: number): Promise<string> {
    if (this.ends.includes(part)) this.send();
    const sum = this.sums.get(part);
    return sum ? sum.promise : Promise.reject(new Error(`no part ${part}`));
  }

  /** Sends what is held and waits for every answer (each part's sum is then settled). */
  async finish(): Promise<void> {
    if (this.segments.length || this.ends.length) this.send();
    if (this.answered < this.sent && !this.failure) {
      await new Promise<void>((resolve) => {
        this.idle = resolve;
      });
    }
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    this.fail(new Error('the archive was closed before this part was hashed'));
    await this.thread.close();
  }

  private send(): void {
    if (!this.segments.length && !this.ends.length) return;
    // Ends with no bytes held (an empty part, or one ended in a block already sent): the first
    // free slot carries them, with no bytes.
    const slot = this.slot >= 0 ? this.slot : this.free.pop();
    if (slot === undefined) {
      // Every slot is out: the ends go with the next block.
      return;
    }
    this.thread.send({ slot, length: 0, segments: this.segments, ends: this.ends, last: false });
    this.sent++;
    this.slot = -1;
    this.at = 0;
    this.segments = [];
    this.ends = [];
  }

  private async takeSlot(): Promise<void> {
    while (this.slot < 0) {
      const slot = this.free.pop();
      if (slot !== undefined) {
        this.slot = slot;
        return;
      }
      await new Promise<void>((resolve) => this.waitingForSlot.push(resolve));
      if (this.failure) throw this.failure;
    }
  }

  private onAnswer(a: BlockAnswer): void {
    this.answered++;
    for (let i = 0; i < a.sums.length; i += 2) {
      const part = a.sums[i] as number;
      this.sums.get(part)?.settle.resolve(a.sums[i + 1] as string);
    }
    this.free.push(a.slot);
    this.waitingForSlot.shift()?.();
    // Ends held while every slot was out go now.
    if (this.slot < 0 && this.ends.length && !this.segments.length) this.send();
    if (this.answered === this.sent) {
      this.idle?.();
      this.idle = null;
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const { settle } of this.sums.values()) settle.reject(this.failure);
    for (const wake of this.waitingForSlot.splice(0)) wake();
    this.idle?.();
    this.idle = null;
  }
}

interface Settle {
  resolve(sha256: string): void;
  reject(e: Error): void;
}
