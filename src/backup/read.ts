import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import tar from 'tar-stream';
import { type BackupSecret, decryptStream } from './age.ts';

/** The archive cannot be trusted: a part is damaged, missing or changed (the message names it). */
export class ArchiveDamagedError extends Error {
  override name = 'ArchiveDamagedError';
}

export interface ArchiveEntry {
  name: string;
  size: number;
  /** The entry's bytes; read it whole (or not at all) before asking for the next entry. */
  body: AsyncIterable<Buffer>;
  /** SHA-256 (hex) and size of what `body` gave, once it has been read to its end. */
  sum(): { sha256: string; size: number };
}

/**
 * The entries of an encrypted archive, in order. age authenticates every 64 KiB of the stream:
 * damage anywhere fails there, and the error names the part being read at that moment.
 * `source`'s pieces are handed over (a file's or an object's read stream: nothing reads them
 * after): they are decrypted where they lie (decryptStream's `inPlace`).
 */
export async function* archiveEntries(
  source: AsyncIterable<Uint8Array>,
  secret: BackupSecret,
): AsyncGenerator<ArchiveEntry> {
  const plain = await decryptStream(source, secret, { inPlace: true });
  const extract = tar.extract();
  let current = '(the start of the archive)';
  let between = true;
  const damaged = (e: unknown) =>
    new ArchiveDamagedError(
      `the archive is damaged ${between ? `after part ${current}` : `in part ${current}`}: ${(e as Error).message}`,
    );
  let feedError: unknown = null;
  const stopped = () => (extract as unknown as { destroying: boolean }).destroying;
  const feed = (async () => {
    try {
      for await (const chunk of plain) {
        // Destroyed: the reader stopped early (a failure, or it had what it wanted).
        if (stopped()) return;
        if (!extract.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
          if (stopped()) return;
          await new Promise<void>((res) => {
            const done = () => {
              extract.off('drain', done);
              extract.off('close', done);
              res();
            };
            extract.on('drain', done);
            extract.on('close', done);
          });
        }
      }
      (extract as unknown as { end(): void }).end();
    } catch (e) {
      feedError = damaged(e);
      extract.destroy(feedError as Error);
    }
  })();
  try {
    for await (const entry of extract as AsyncIterable<{ header: tar.Header } & AsyncIterable<Buffer>>) {
      current = entry.header.name;
      between = false;
      const hash = createHash('sha256');
      let size = 0;
      async function* body() {
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      }
      let read = false;
      let digest: string | null = null;
      yield {
        name: entry.header.name,
        size: entry.header.size ?? 0,
        body: {
          [Symbol.asyncIterator]: () => {
            read = true;
            return body()[Symbol.asyncIterator]();
          },
        },
        sum: () => {
          digest ??= hash.digest('hex');
          return { sha256: digest, size };
        },
      };
      if (!read) for await (const _ of entry as AsyncIterable<Buffer>) void _;
      between = true;
    }
  } catch (e) {
    throw feedError ?? (e instanceof ArchiveDamagedError ? e : damaged(e));
  } finally {
    extract.destroy();
    await feed;
  }
  if (feedError) throw feedError;
}

/** NDJSON lines of a body, parsed. */
export async function* ndjsonRows(
  body: AsyncIterable<Buffer>,
  part: string,
): AsyncGenerator<Record<string, unknown>> {
  let rest = '';
  let lineNo = 0;
  const parse = (line: string) => {
    lineNo++;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new ArchiveDamagedError(`${part}: line ${lineNo} is not JSON`);
    }
  };
  const decoder = new StringDecoder('utf8');
  for await (const chunk of body) {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (line) yield parse(line);
  }
  rest += decoder.end();
  if (rest.trim()) yield parse(rest);
}
