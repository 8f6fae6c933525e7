import { z } from 'zod';
import { boolOption, int, opt } from './option-spec.ts';

/** Where uploaded files are kept (storage/), for every command that reads or writes them. */
export const storageOptions = {
  storageUrl: opt<string>({
    flag: 'storage-url',
    metavar: 'url',
    accepts: 'file: (the data folder), file:/a/folder, or s3://bucket or s3://bucket/prefix',
    describe:
      'Where documents are kept, encrypted: file: = <data-dir>/files; s3://bucket/prefix = any S3-compatible store (with the --s3-* settings). Move between stores with `clinicbox storage migrate --to`.',
    default: 'file:',
    schema: z.string().refine((v) => /^file:/.test(v) || /^s3:\/\/[^/]+/.test(v)),
  }),
  s3Endpoint: opt<string>({
    flag: 's3-endpoint',
    metavar: 'url',
    accepts: 'empty (AWS) or an http(s) URL',
    describe: 'The S3 endpoint for MinIO, R2, B2 and other S3-compatible stores; empty = AWS.',
    default: '',
    schema: z.string().refine((v) => v === '' || /^https?:\/\//.test(v)),
  }),
  s3Region: opt<string>({
    flag: 's3-region',
    metavar: 'region',
    accepts: 'an S3 region name',
    describe: 'The bucket’s region (most S3-compatible stores accept us-east-1 or auto).',
    default: 'us-east-1',
    schema: z.string().min(1),
  }),
  s3AccessKeyId: opt<string>({
    flag: 's3-access-key-id',
    metavar: 'id',
    accepts: 'empty (the SDK’s usual sources: env, profile, instance role) or an access key id',
    describe: 'The S3 access key id.',
    default: '',
    schema: z.string(),
  }),
  s3SecretAccessKey: opt<string>({
    flag: 's3-secret-access-key',
    metavar: 'secret',
    accepts: 'empty or the secret access key',
    describe: 'The S3 secret access key (prefer the env twin CLINICBOX_S3_SECRET_ACCESS_KEY).',
    default: '',
    schema: z.string(),
  }),
  s3ForcePathStyle: boolOption(
    's3-force-path-style',
    false,
    'Address the bucket as https://endpoint/bucket (MinIO and most self-hosted stores) instead of https://bucket.endpoint.',
  ),
  s3Checksums: opt<'when_supported' | 'when_required'>({
    flag: 's3-checksums',
    metavar: 'mode',
    accepts: 'when_supported or when_required',
    describe:
      'When the S3 client adds CRC checksums: when_supported (every upload and download; AWS, R2 and most stores) or when_required (only where S3 demands one: for stores that mishandle streamed checksums, e.g. s3rver, older MinIO and Ceph).',
    default: 'when_supported',
    schema: z.enum(['when_supported', 'when_required']),
  }),
  maxUploadMb: opt<number>({
    flag: 'max-upload-mb',
    metavar: 'MB',
    accepts: 'a whole number of megabytes, 1 to 10240',
    describe: 'The largest document a staff member or patient may upload (streamed, never held in memory).',
    default: 50,
    schema: int(1, 10240),
  }),
  documentRetentionDays: opt<number>({
    flag: 'document-retention-days',
    metavar: 'days',
    accepts: 'a whole number of days, 0 to 3650',
    describe: 'How long a deleted document can still be restored before its file is purged.',
    default: 30,
    schema: int(0, 3650),
  }),
};
