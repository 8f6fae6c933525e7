import { S3ServiceException } from '@aws-sdk/client-s3';

/** How the S3 store reads an error the SDK threw: its name, its HTTP status, what it means. */

export const errorName = (e: unknown) => (e as { name?: string })?.name;

export const statusOf = (e: unknown) =>
  e instanceof S3ServiceException ? e.$metadata.httpStatusCode : undefined;

/** The object (or its key) does not exist. */
export const isNotFound = (e: unknown) =>
  errorName(e) === 'NoSuchKey' || errorName(e) === 'NotFound' || statusOf(e) === 404;

/** Server errors, throttling and dropped connections are worth another try; a 4xx answer is not. */
export function isRetryable(e: unknown): boolean {
  const status = statusOf(e);
  if (status !== undefined) return status >= 500 || status === 429 || errorName(e) === 'RequestTimeout';
  return true;
}
