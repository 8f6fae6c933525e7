import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { isRetryable } from './s3-errors.ts';
import type { Part, PieceReader } from './s3-piece-reader.ts';

/**
 * The S3 store's multipart upload: create, send the parts as they fill (each retried), complete —
 * or, on any failure, abort, so nothing becomes visible under the key.
 */

/** Where and how a multipart upload goes. */
export interface MultipartTarget {
  client: S3Client;
  Bucket: string;
  Key: string;
  /** Bytes per part (the last may be shorter). */
  partSize: number;
  /** Parts in flight at most. */
  queueSize: number;
}

type PartParams = { Bucket: string; Key: string; UploadId: string | undefined; PartNumber: number };
type DonePart = { PartNumber: number; ETag: string | undefined };

/** Tries of one part, as the SDK's default `maxAttempts` for every other request. */
const PART_ATTEMPTS = 3;

/**
 * A multipart upload of the stream's parts as they fill (`first` already read): each part's
 * pieces are sent as they arrived (a stream of known length, no copy into a part buffer); the
 * next part is read once fewer than `queueSize` parts are in flight. A part is retried here with its
 * pieces streamed again (the SDK does not retry a streamed body). On any failure the upload is
 * aborted, so nothing becomes visible under the key.
 */
export async function uploadMultipart(
  target: MultipartTarget,
  reader: PieceReader,
  first: Part,
): Promise<{ size: number }> {
  const { client, Bucket, Key } = target;
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const done: DonePart[] = [];
  const sending = new Set<Promise<void>>();
  let failed: unknown = null;
  let size = 0;
  try {
    for (let part: Part | null = first, PartNumber = 1; part; PartNumber++) {
      size += part.length;
      const sent: Promise<void> = uploadPart(client, { Bucket, Key, UploadId, PartNumber }, part).then(
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
      while (sending.size >= target.queueSize && !failed) await Promise.race(sending);
      if (failed) throw failed;
      part = (await reader.atEnd()) ? null : await reader.take(target.partSize);
    }
    await Promise.all(sending);
    if (failed) throw failed;
    await completeUpload(client, { Bucket, Key, UploadId }, done);
    return { size };
  } catch (e) {
    // The parts still being sent end first (they never reject), so the abort removes them too.
    await Promise.all(sending);
    await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => {});
    throw e;
  }
}

/** Completes the upload with its parts in order. */
async function completeUpload(
  client: S3Client,
  params: { Bucket: string; Key: string; UploadId: string | undefined },
  done: DonePart[],
): Promise<void> {
  done.sort((a, b) => a.PartNumber - b.PartNumber);
  await client.send(new CompleteMultipartUploadCommand({ ...params, MultipartUpload: { Parts: done } }));
}

/** Sends one part, its pieces streamed again on each of up to `PART_ATTEMPTS` tries; its ETag. */
async function uploadPart(client: S3Client, params: PartParams, part: Part): Promise<string | undefined> {
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
