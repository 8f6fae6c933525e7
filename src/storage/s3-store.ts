import { pipeline, Readable, Transform } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertObjectKey } from './disk-store.ts';
import { ObjectNotFoundError } from './errors.ts';
import { parseS3Url, s3Location } from './s3-url.ts';
import type { BlobStore, ByteRange, ObjectInfo } from './types.ts';

/**
 * Objects in an S3 bucket (AWS, MinIO, R2, B2, any S3-compatible store), under an optional key
 * prefix: `s3://bucket/prefix`. A put streams through lib-storage's `Upload` — one PutObject for
 * a small file, a multipart upload of `partSize` parts otherwise, at most `queueSize` parts held in
 * memory — and resolves only once the store has acknowledged the whole object. A failed upload is
 * aborted (its parts removed), so nothing is visible under the key; a store that cannot abort
 * (s3rver answers 405) keeps invisible parts until the bucket's lifecycle rule
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
  /** Parts uploaded at once (each held in memory while it is sent; 2 by default). */
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
  const client = new S3Client(s3ClientConfig(settings));
  const partSize = Math.max(MIN_PART, settings.partSize ?? MIN_PART);
  // Two parts in flight: a 1 GiB upload through the store alone grows RSS by about 55 MB (four:
  // about 72; through the vault 62-75 vs 81), and a local store is not faster with more
  // (bench/storage.ts, on a busy 2-core machine).
  const queueSize = Math.max(1, settings.queueSize ?? 2);
  const keyOf = (key: string) => {
    assertObjectKey(key);
    return prefix + key;
  };

  return {
    location: s3Location(settings.url),
    client,
    bucket,
    prefix,

    async put(key, body) {
      const Key = keyOf(key);
      let size = 0;
      const counted = new Transform({
        transform(chunk: Buffer | string, _enc, done) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          size += bytes.length;
          done(null, bytes);
        },
      });
      // pipeline, not pipe: the source's error must reach the upload, the upload's failure the source.
      pipeline(body, counted, () => {});
      // Parts are aborted here rather than by Upload, so a store that cannot abort (s3rver: 405)
      // does not hide why the upload failed.
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key, Body: counted },
        partSize,
        queueSize,
        leavePartsOnError: true,
      });
      try {
        await upload.done();
      } catch (e) {
        counted.destroy();
        if (upload.uploadId) {
          const abort = new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId: upload.uploadId });
          await client.send(abort).catch(() => {});
        }
        throw e;
      }
      return { size };
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
