import { Readable } from 'node:stream';

/** A byte stream of `bytes` in pieces of `piece` bytes (an upload arrives so, not in one buffer). */
export const streamOf = (bytes: Buffer, piece = 64 * 1024): Readable =>
  Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
    })(),
  );

/** A stream read to its end or its error: the bytes that came out before, and the error (or null). */
export async function drain(stream: Readable): Promise<{ bytes: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  try {
    for await (const part of stream) parts.push(part as Buffer);
    return { bytes: Buffer.concat(parts), error: null };
  } catch (error) {
    return { bytes: Buffer.concat(parts), error };
  }
}
