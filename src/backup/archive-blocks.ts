import { type BlockAnswer, type BlockThread, blockThread, sealedSize } from './age-worker.ts';
import { TAR_END_SIZE, tarHeader, tarPadding } from './tar-header.ts';

/**
 * The plaintext archive (tar) laid out in large blocks of shared memory that the backup's two
 * threads (age-worker.ts) read side by side: one hashes the parts, the other seals the block.
 * Parts are read straight into a block (a file's bytes are never copied on this thread when its
 * store reads into a buffer), and the blocks and their sealed buffers are used again and again:
 * a backup allocates `SLOTS` of them once instead of a buffer per read, per chunk and per write,
 * and the memory it uses is bounded by them.
 *
 * One producer (the parts in order: `begin`, `write`/`fill`, `end`, … `finish`; or `raw` bytes
 * and `finishRaw`) and one consumer (`output`) run side by side; a failure of either (or of a
 * thread) fails the other.
 */
export const BLOCK = 4 << 20;
const SLOTS = 6;
/** The age payload's chunk: every block but the last is sealed as whole chunks. */
const CHUNK = 64 * 1024;

interface Sent {
  slot: number;
  length: number;
  last: boolean;
  /** Answers still to come (hash, seal). */
  waiting: number;
  outLength: number;
}

export class ArchiveBlocks {
  private readonly plain: Buffer[];
  private readonly sealed: Buffer[];
  private readonly hasher: BlockThread;
  private readonly sealer: BlockThread | null;
  private readonly free: number[];
  private readonly sent: Sent[] = [];
  private slot = -1;
  private used = 0;
  private segments: number[] = [];
  private ends: number[] = [];
  private part: { id: number; left: number; hash: boolean; size: number } | null = null;
  private nextId = 0;
  private readonly sums = new Map<number, (sha256: string) => void>();
  private wakeProducer: (() => void) | null = null;
  private wakeConsumer: (() => void) | null = null;
  private failed: Error | null = null;
  private finished = false;

  /** `key`: the age payload key (sealed on a thread); null: the plaintext is handed on. */
  constructor(key: Buffer | null, blockSize = BLOCK) {
    const plain = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(blockSize));
    const sealed = key
      ? Array.from({ length: SLOTS }, () => new SharedArrayBuffer(sealedSize(blockSize)))
      : [];
    this.plain = plain.map((b) => Buffer.from(b));
    this.sealed = sealed.map((b) => Buffer.from(b));
    this.free = Array.from({ length: SLOTS }, (_, i) => i);
    const onError = (e: Error) => this.fail(e);
    this.hasher = blockThread(null, { plain, sealed }, (a) => this.answered(a, false), onError);
    this.sealer = key ? blockThread(key, { plain, sealed }, (a) => this.answered(a, true), onError) : null;
  }

  /**
   * Starts a part (its tar header); `hash`: its SHA-256 is wanted. Answers `sum`: the part's
   * SHA-256 once the hashing thread has seen all of it (wrapped: an async function's answer
   * never is a promise).
   */
  async begin(name: string, size: number, mtime: Date, hash = true): Promise<{ sum: Promise<string> }> {
    if (this.part) throw new Error(`begin ${name}: the part before it did not end`);
    const id = this.nextId++;
    const sum = new Promise<string>((resolve) => this.sums.set(id, resolve));
    sum.catch(() => {});
    await this.copy(tarHeader(name, size, mtime), null);
    this.part = { id, left: size, hash, size };
    return { sum };
  }

  /** Bytes of the current part (copied into the block). */
  async write(bytes: Uint8Array): Promise<void> {
    const part = this.current(bytes.length);
    part.left -= bytes.length;
    await this.copy(bytes, part.hash ? part.id : null);
  }

  /**
   * The next bytes of the current part read straight into the block: `read(into)` fills `into`
   * (at most its length; the part's remaining size bounds it) and answers how many bytes it put
   * there (0: the source has ended early). Answers that number.
   */
  async fill(read: (into: Buffer) => Promise<number>): Promise<number> {
    const part = this.current(0);
    if (!part.left) return 0;
    const block = await this.room();
    const into = block.subarray(this.used, this.used + Math.min(part.left, block.length - this.used));
    const n = await read(into);
    if (n < 0 || n > into.length) throw new Error(`a read answered ${n} bytes of ${into.length}`);
    if (n) {
      if (part.hash) this.segments.push(part.id, this.used, this.used + n);
      this.used += n;
      part.left -= n;
    }
    return n;
  }

  /** Bytes of the current part still to come. */
  get left(): number {
    return this.part?.left ?? 0;
  }

  /** Ends the current part: every byte of it must have come. */
  async end(): Promise<void> {
    const part = this.current(0);
    if (part.left) throw new Error(`a part ended ${part.left} bytes short`);
    this.part = null;
    this.ends.push(part.id);
    await this.copy(Buffer.alloc(tarPadding(part.size)), null);
  }

  /** Bytes outside any part (`encryptStream`: a payload that is not an archive). */
  async raw(bytes: Uint8Array): Promise<void> {
    if (this.part) throw new Error('raw bytes inside a part');
    await this.copy(bytes, null);
  }

  /**
   * Sends what the block holds, so that the hashing thread answers the sums of the parts ended
   * so far: its whole chunks are sealed, the bytes after them move to the next block (they are
   * hashed with this one).
   */
  async flush(): Promise<void> {
    if (this.slot < 0) return;
    const keep = this.used % CHUNK;
    const tail = Buffer.from(this.plain[this.slot]!.subarray(this.used - keep, this.used));
    this.send(false, this.used - keep);
    const next = await this.room();
    tail.copy(next, 0);
    this.used = keep;
  }

  /** The end of the archive (two zero blocks): the last block goes out. */
  async finish(): Promise<void> {
    if (this.part) throw new Error('the archive ended inside a part');
    await this.copy(Buffer.alloc(TAR_END_SIZE), null);
    await this.finishRaw();
  }

  /** The last block goes out (as it is). */
  async finishRaw(): Promise<void> {
    if (this.slot < 0) await this.room();
    this.send(true, this.used);
    this.finished = true;
  }

  /** Fails the producer and the consumer (and whatever waits on them); stops the threads. */
  fail(e: Error): void {
    if (!this.failed) {
      this.failed = e;
      void this.hasher.close();
      void this.sealer?.close();
    }
    this.wakeProducer?.();
    this.wakeConsumer?.();
  }

  /**
   * The output, in order, until the last block: the sealed bytes (or, without a key, a copy of
   * the plaintext). A piece handed on is valid until the next is asked for: its slot is then
   * filled again.
   */
  async *output(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        while (!this.failed && !(this.sent.length && this.sent[0]!.waiting === 0)) {
          await new Promise<void>((resolve) => {
            this.wakeConsumer = resolve;
          });
          this.wakeConsumer = null;
        }
        if (this.failed) throw this.failed;
        const done = this.sent.shift()!;
        if (this.sealer) yield this.sealed[done.slot]!.subarray(0, done.outLength);
        else yield Buffer.from(this.plain[done.slot]!.subarray(0, done.length));
        this.free.push(done.slot);
        this.wakeProducer?.();
        if (done.last) return;
      }
    } finally {
      if (!this.finished || this.sent.length) this.fail(new Error('the archive was not read to its end'));
      else await this.close();
    }
  }

  private async close(): Promise<void> {
    await Promise.all([this.hasher.close(), this.sealer?.close()]);
  }

  private answered(a: BlockAnswer, sealing: boolean): void {
    for (let i = 0; i < a.sums.length; i += 2) {
      const id = a.sums[i] as number;
      this.sums.get(id)?.(a.sums[i + 1] as string);
      this.sums.delete(id);
    }
    const s = this.sent.find((x) => x.slot === a.slot);
    if (!s) return;
    if (sealing) s.outLength = a.outLength;
    s.waiting--;
    if (s === this.sent[0] && s.waiting === 0) this.wakeConsumer?.();
  }

  private current(adding: number) {
    if (this.failed) throw this.failed;
    const part = this.part;
    if (!part) throw new Error('bytes outside a part');
    if (adding > part.left) throw new Error(`a part has more bytes than its header says (${part.size})`);
    return part;
  }

  private async copy(bytes: Uint8Array, hashed: number | null): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      const block = await this.room();
      const n = Math.min(bytes.length - at, block.length - this.used);
      block.set(bytes.subarray(at, at + n), this.used);
      if (hashed !== null) this.segments.push(hashed, this.used, this.used + n);
      this.used += n;
      at += n;
    }
  }

  /** A block with room in it: a full one goes to the threads first (more bytes follow it). */
  private async room(): Promise<Buffer> {
    if (this.failed) throw this.failed;
    if (this.slot >= 0 && this.used < this.plain[this.slot]!.length) return this.plain[this.slot]!;
    if (this.slot >= 0) this.send(false, this.used);
    while (!this.free.length && !this.failed) {
      await new Promise<void>((resolve) => {
        this.wakeProducer = resolve;
      });
      this.wakeProducer = null;
    }
    if (this.failed) throw this.failed;
    this.slot = this.free.shift()!;
    this.used = 0;
    return this.plain[this.slot]!;
  }

  private send(last: boolean, length: number): void {
    const work = { slot: this.slot, length, segments: this.segments, ends: this.ends, last };
    this.sent.push({ slot: this.slot, length, last, waiting: this.sealer ? 2 : 1, outLength: 0 });
    this.hasher.send(work);
    this.sealer?.send(work);
    this.slot = -1;
    this.used = 0;
    this.segments = [];
    this.ends = [];
  }
}
