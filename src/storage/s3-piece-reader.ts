import type { Readable } from 'node:stream';

/** A part of the object: the stream's pieces that make it up (not copied) and their length. */
export interface Part {
  pieces: Buffer[];
  length: number;
}

/** Takes a stream's bytes in parts of a given length, as the pieces they arrived in (cut at the edge). */
export class PieceReader {
  private readonly source: AsyncIterator<Buffer | string>;
  private carry: Buffer | null = null;
  private ended = false;

  constructor(private readonly stream: Readable) {
    this.source = stream[Symbol.asyncIterator]();
  }

  /** Up to `n` bytes (fewer only at the end of the stream). */
  async take(n: number): Promise<Part> {
    const pieces: Buffer[] = [];
    let length = 0;
    while (length < n) {
      const piece = this.carry ?? (await this.next());
      this.carry = null;
      if (!piece) break;
      if (length + piece.length > n) {
        this.carry = piece.subarray(n - length);
        pieces.push(piece.subarray(0, n - length));
        length = n;
      } else {
        pieces.push(piece);
        length += piece.length;
      }
    }
    return { pieces, length };
  }

  /** Whether the stream has no byte left (waits for the next piece or its end). */
  async atEnd(): Promise<boolean> {
    this.carry ??= await this.next();
    return this.carry === null;
  }

  close(): void {
    if (!this.ended) void this.source.return?.().catch(() => {});
    this.stream.destroy();
  }

  private async next(): Promise<Buffer | null> {
    while (!this.ended) {
      const next = await this.source.next();
      if (next.done) this.ended = true;
      else if (next.value.length)
        return typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
    return null;
  }
}
