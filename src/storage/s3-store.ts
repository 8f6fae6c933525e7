import { pipeline, Readable, Transform } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { assertObjectKey } from './disk-store.ts';
import { ObjectNotFoundError } from './errors.ts';
import { errorName, isNotFound, statusOf } from './s3-errors.ts';
import { type MultipartTarget, uploadMultipart } from './s3-multipart.ts';
import { PieceReader } from './s3-piece-reader.ts';
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
 * (AbortIncompleteMultipartUpload) drops them. The multipart upload is in ./s3-multipart.ts.
 */

export { parseS3Url } from './s3-url.ts';

/**
 * The SDK's checksum behaviour. `when_supported` (its default) adds CRC checksums to every upload
 * and checks them on whole downloads: right for AWS and most stores. `when_required` sends them only
 * where S3 demands one — for stores that mishandle the streamed (aws-chunked) checksum framing, such
 * as s3rver, which would otherwise store the framing inside the object.
 */
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

  return {
    location: s3Location(settings.url),
    client,
    bucket,
    prefix,

    // async (here and in get): a bad key rejects rather than throws.
    async put(key, body) {
      return putObject({ client, Bucket: bucket, Key: keyOf(key), partSize, queueSize }, body);
    },

    async get(key, range) {
      return getObject(client, { Bucket: bucket, Key: keyOf(key) }, key, range);
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

/**
 * Stores the stream under the key: one PutObject for a body of at most one part, a multipart
 * upload otherwise. Resolves with the size once the store has the whole object.
 */
async function putObject(target: MultipartTarget, body: Readable): Promise<{ size: number }> {
  const reader = new PieceReader(body);
  try {
    const first = await reader.take(target.partSize);
    if (await reader.atEnd()) {
      // One PutObject (a buffer: the SDK checksums and retries it) for a file of one part.
      await target.client.send(
        new PutObjectCommand({
          Bucket: target.Bucket,
          Key: target.Key,
          Body: Buffer.concat(first.pieces, first.length),
        }),
      );
      return { size: first.length };
    }
    return await uploadMultipart(target, reader, first);
  } finally {
    reader.close();
  }
}

/** The object's bytes, or those `range` names (`key` is the caller's, for the not-found error). */
async function getObject(
  client: S3Client,
  params: { Bucket: string; Key: string },
  key: string,
  range: ByteRange | undefined,
): Promise<Readable> {
  let answer: GetObjectCommandOutput;
  try {
    answer = await client.send(
      new GetObjectCommand({
        ...params,
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
