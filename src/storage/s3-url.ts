import { assertObjectKey } from './disk-store.ts';

/** Reading an `s3://` storage URL needs no SDK: the store itself loads it on first use. */

/** `s3://bucket/some/prefix` → bucket and key prefix (`''` or `some/prefix/`). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`not an s3:// storage URL: ${JSON.stringify(url)}`);
  const bucket = m[1]!;
  const path = m[2]!.replace(/\/+$/, '');
  if (path) assertObjectKey(path);
  return { bucket, prefix: path ? `${path}/` : '' };
}

/** The URL as messages show it: `s3://bucket` or `s3://bucket/prefix`. */
export function s3Location(url: string): string {
  const { bucket, prefix } = parseS3Url(url);
  return `s3://${bucket}${prefix ? `/${prefix.slice(0, -1)}` : ''}`;
}
