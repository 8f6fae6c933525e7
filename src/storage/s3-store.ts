import { pipeline, Readable, Transform } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { assertObjectKey } from './disk-store.ts';
import { ObjectNotFoundError } from './errors.ts';
import { parseS3Url, s3Location } from './s3-url.ts';
import type { BlobStore, ByteRange, ObjectInfo } from './types.ts';

/**
 * Objects in an S3 bucket (AWS, MinIO, R2, B2, any S3-compatible store), under an optional key
 * prefix: `s3://bucket/prefix`. A put of at most one part (`partSize`) is one PutObject; a larger
 * one is a multipart upload whose parts are streamed from the pieces the body arrived in (no part
 * buffer, no copy), at most `queueSize` parts in flight, each retried with its pieces sent again;
 * it resolves only once the store has acknowledged the whole object. A failed upload is aborted
 * (its parts removed), so nothing is visible under the key; a store that cannot abort (s3rver
 * answers 405) keeps invisible parts until the bucket's lifecycle rule
 * (AbortIncompleteMultipartUpload) drops them.
 */

/**
 * The SDK's checksum behaviour. `when_supported` (its default) adds CRC checksums to every upload
 * and checks them on whole downloads: right for AWS and most stores. `when_required` sends them only
 * where S3 demands one — for stores that mishandle the streamed (aws-chunked) checksum framing, such
 * as s3rver, which would otherwise store the framing inside the object.
 */
export { parseS3Url } from './s3-url.ts';

export type S3ChecksumMode = 'when_supported' | 'when_required';

export interface S3StoreSettings {
  /** `s3://bucket` or `s3://bucket/prefix`. */
  url: string;
  /** Empty/omitted = AWS; otherwise the store's http(s) endpoint. */
  endpoint?: string;
  region: string;
  /** Both empty/omitted = the SDK's usual credential sources (env, profile, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
  checksums?: S3ChecksumMode;
  /** Multipart part size in bytes (S3's minimum, 5 MiB, by default). */
  partSize?: number;
  /** Parts uploaded at once (each part's pieces held until the store has it; 1 by default). */
  queueSize?: number;
  /** Keys per ListObjectsV2 page (S3's 1000 by default; small in tests, to exercise paging). */
  listPageSize?: number;
}

/** A blob store on S3; `close` releases the client's sockets. */
export interface S3BlobStore extends BlobStore {
  readonly client: S3Client;
  readonly bucket: string;
  /** The key prefix every object is stored under (`''` or ending with `/`). */
  readonly prefix: string;
  close(): void;
}

const MIN_PART = 5 * 1024 * 1024;
/** Tries of one part, as the SDK's default `maxAttempts` for every other request. */
const PART_ATTEMPTS = 3;
const quiet = () => {};
const quietLogger = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };

/** The S3 client options for these settings (also for tools that talk to the bucket directly). */
export function s3ClientConfig(settings: S3StoreSettings): S3ClientConfig {
  const mode = settings.checksums === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  return {
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle ?? false,
    ...(settings.accessKeyId || settings.secretAccessKey
      ? {
          credentials: {
            accessKeyId: settings.accessKeyId ?? '',
            secretAccessKey: settings.secretAccessKey ?? '',
          },
        }
      : {}),
    requestChecksumCalculation: mode,
    responseChecksumValidation: mode,
  };
}

export function openS3Store(settings: S3StoreSettings): S3BlobStore {
  const { bucket, prefix } = parseS3Url(settings.url);
  // The SDK is pinned at its last release for Node 20 on purpose (../shared/STACK.md): its warning
  // that later releases want Node 22 would only be noise in every command's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // A logger that drops everything, as the SDK's default does — but, not being that default, it
  // also drops the SDK's console warning on every failed streamed request (retried here instead).
  const client = new S3Client({ ...s3ClientConfig(settings), logger: quietLogger });
  const partSize = Math.max(MIN_PART, settings.partSize ?? MIN_PART);
  // One part in flight: a 1 GiB upload through the vault grows RSS by 49-58 MB (two in flight: 56-76,
  // lib-storage's Upload: 59-70; most of it is the vault's spent buffers awaiting a GC), and it is
  // no slower to a local store, where the encryption, not the network, sets the pace
  // (bench/storage.ts on a 2-core machine). A store far away may want 2 or more.
  const queueSize = Math.max(1, settings.queueSize ?? 1);
  const keyOf = (key: string) => {
    assertObjectKey(key);
    return prefix + key;
  };

  /**
   * A multipart upload of the stream's parts as they fill (`first` already read): each part's
   * pieces are sent as they arrived (a stream of known length, no copy into a part buffer); the
   * next part is read once fewer than `queueSize` parts are in flight. A part is retried here with its
   * pieces streamed again (the SDK does not retry a streamed body). On any failure the upload is
   * aborted, so nothing becomes visible under the key.
   */
  async function multipart(Key: string, reader: PieceReader, first: Part): Promise<{ size: number }> {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
    const done: { PartNumber: number; ETag: string | undefined }[] = [];
    const sending = new Set<Promise<void>>();
    let failed: unknown = null;
    let size = 0;
    try {
      for (let part: Part | null = first, PartNumber = 1; part; PartNumber++) {
        size += part.length;
        const sent: Promise<void> = uploadPart({ Bucket: bucket, Key, UploadId, PartNumber }, part).then(
          (ETag) => {
            done.push({ PartNumber, ETag });
            sending.delete(sent);
          },
          (e) => {
            failed ??= e;
            sending.delete(sent);
          },
        );
        sending.add(sent);
        while (sending.size >= queueSize && !failed) await Promise.race(sending);
        if (failed) throw failed;
        part = (await reader.atEnd()) ? null : await reader.take(partSize);
      }
      await Promise.all(sending);
      if (failed) throw failed;
      done.sort((a, b) => a.PartNumber - b.PartNumber);
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key,
          UploadId,
          MultipartUpload: { Parts: done },
        }),
      );
      return { size };
    } catch (e) {
      // The parts still being sent end first (they never reject), so the abort removes them too.
      await Promise.all(sending);
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId })).catch(() => {});
      throw e;
    }
  }

  async function uploadPart(
    params: { Bucket: string; Key: string; UploadId: string | undefined; PartNumber: number },
    part: Part,
  ): Promise<string | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const body = Readable.from(part.pieces, { objectMode: false });
        const answer = await client.send(
          new UploadPartCommand({ ...params, Body: body, ContentLength: part.length }),
        );
        return answer.ETag;
      } catch (e) {
        if (attempt >= PART_ATTEMPTS || !isRetryable(e)) throw e;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt * Math.random()));
      }
    }
  }

  return {
    location: s3Location(settings.url),
    client,
    bucket,
    prefix,

    async put(key, body) {
      const Key = keyOf(key);
      const reader = new PieceReader(body);
      try {
        const first = await reader.take(partSize);
        if (await reader.atEnd()) {
          // One PutObject (a buffer: the SDK checksums and retries it) for a file of one part.
          await client.send(
            new PutObjectCommand({ Bucket: bucket, Key, Body: Buffer.concat(first.pieces, first.length) }),
          );
          return { size: first.length };
        }
        return await multipart(Key, reader, first);
      } finally {
        reader.close();
      }
    },

    async get(key, range) {
      const Key = keyOf(key);
      let answer: GetObjectCommandOutput;
      try {
        answer = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key,
            ...(range ? { Range: `bytes=${range.start}-${range.end ?? ''}` } : {}),
          }),
        );
      } catch (e) {
        if (isNotFound(e)) throw new ObjectNotFoundError(key);
        // A range starting at or past the end: nothing to read, as on disk.
        if (errorName(e) === 'InvalidRange' || statusOf(e) === 416) return Readable.from([]);
        throw e;
      }
      const stream = answer.Body as Readable;
      if (!range) return stream;
      // Some S3-compatible stores ignore (parts of) a Range — s3rver reads `bytes=0-0` as the whole
      // object — so trust the Content-Range they answer, and cut to the asked bytes when it is wider.
      const sent = /^bytes (\d+)-(\d+)\//.exec(answer.ContentRange ?? '');
      const from = sent ? Number(sent[1]) : 0;
      const to = sent ? Number(sent[2]) : Number.POSITIVE_INFINITY;
      if (from === range.start && (range.end === undefined || to === range.end)) return stream;
      return pipeline(stream, sliceBytes(range, from), () => {});
    },

    async head(key) {
      try {
        const answer = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
        return { key, size: answer.ContentLength ?? 0, modifiedAt: answer.LastModified ?? new Date(0) };
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },

    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },

    list(listPrefix = '') {
      return listObjects(client, { Bucket: bucket, MaxKeys: settings.listPageSize }, prefix, listPrefix);
    },

    close() {
      client.destroy();
    },
  };
}

async function* listObjects(
  client: S3Client,
  params: { Bucket: string; MaxKeys: number | undefined },
  base: string,
  listPrefix: string,
): AsyncGenerator<ObjectInfo> {
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ ...params, Prefix: base + listPrefix, ContinuationToken }),
    );
    for (const o of page.Contents ?? []) {
      if (!o.Key?.startsWith(base)) continue;
      yield { key: o.Key.slice(base.length), size: o.Size ?? 0, modifiedAt: o.LastModified ?? new Date(0) };
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
}

/** Passes on only the bytes `range` names of a stream that starts at byte `at` of the object. */
function sliceBytes(range: ByteRange, at: number): Transform {
  const end = range.end === undefined ? Number.POSITIVE_INFINITY : range.end + 1;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const from = Math.max(range.start - at, 0);
      const to = Math.min(end - at, chunk.length);
      at += chunk.length;
      done(null, to > from ? chunk.subarray(from, to) : undefined);
    },
  });
}

const errorName = (e: unknown) => (e as { name?: string })?.name;
const statusOf = (e: unknown) => (e instanceof S3ServiceException ? e.$metadata.httpStatusCode : undefined);
const isNotFound = (e: unknown) =>
  errorName(e) === 'NoSuchKey' || errorName(e) === 'NotFound' || statusOf(e) === 404;

/** Server errors, throttling and dropped connections are worth another try; a 4xx answer is not. */
function isRetryable(e: unknown): boolean {
  const status = statusOf(e);
  if (status !== undefined) return status >= 500 || status === 429 || errorName(e) === 'RequestTimeout';
  return true;
}

/** A part of the object: the stream's pieces that make it up (not copied) and their length. */
interface Part {
  pieces: Buffer[];
  length: number;
}

/** Takes a stream's bytes in parts of a given length, as the pieces they arrived in (cut at the edge). */
class PieceReader {
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
