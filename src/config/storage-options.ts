import { z } from 'zod';
import { boolOption, choice, emptyOr, int, option } from './option-spec.ts';

const storeUrl = z.string().refine((v) => /^file:/.test(v) || /^s3:\/\/[^/]+/.test(v));

/** Where uploaded files are kept (storage/), for every command that reads or writes them. */
export const storageOptions = {
  storageUrl: option('storage-url <url>', storeUrl, 'file:', {
    accepts: 'file: (the data folder), file:/a/folder, or s3://bucket or s3://bucket/prefix',
    describe:
      'Where documents are kept, encrypted: file: = <data-dir>/files; s3://bucket/prefix = any S3-compatible store (with the --s3-* settings). Move between stores with `clinicbox storage migrate --to`.',
  }),
  s3Endpoint: option('s3-endpoint <url>', emptyOr(/^https?:\/\//), '', {
    accepts: 'empty (AWS) or an http(s) URL',
    describe: 'The S3 endpoint for MinIO, R2, B2 and other S3-compatible stores; empty = AWS.',
  }),
  s3Region: option('s3-region <region>', z.string().min(1), 'us-east-1', {
    accepts: 'an S3 region name',
    describe: 'The bucket’s region (most S3-compatible stores accept us-east-1 or auto).',
  }),
  s3AccessKeyId: option('s3-access-key-id <id>', z.string(), '', {
    accepts: 'empty (the SDK’s usual sources: env, profile, instance role) or an access key id',
    describe: 'The S3 access key id.',
  }),
  s3SecretAccessKey: option('s3-secret-access-key <secret>', z.string(), '', {
    accepts: 'empty or the secret access key',
    describe: 'The S3 secret access key (prefer the env twin CLINICBOX_S3_SECRET_ACCESS_KEY).',
  }),
  s3ForcePathStyle: boolOption(
    's3-force-path-style',
    false,
    'Address the bucket as https://endpoint/bucket (MinIO and most self-hosted stores) instead of https://bucket.endpoint.',
  ),
  s3Checksums: choice('s3-checksums <mode>', ['when_supported', 'when_required'], 'when_supported', {
    describe:
      'When the S3 client adds CRC checksums: when_supported (every upload and download; AWS, R2 and most stores) or when_required (only where S3 demands one: for stores that mishandle streamed checksums, e.g. s3rver, older MinIO and Ceph).',
  }),
  maxUploadMb: option('max-upload-mb <MB>', int(1, 10240), 50, {
    accepts: 'a whole number of megabytes, 1 to 10240',
    describe: 'The largest document a staff member or patient may upload (streamed, never held in memory).',
  }),
  documentRetentionDays: option('document-retention-days <days>', int(0, 3650), 30, {
    accepts: 'a whole number of days, 0 to 3650',
    describe: 'How long a deleted document can still be restored before its file is purged.',
  }),
};
