import { AppError } from '../lib/errors.ts';

/** No object under that key. */
export class ObjectNotFoundError extends Error {
  override name = 'ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`no stored object ${key}`);
  }
}

/** More bytes arrived than the upload limit allows (413 `too_large`). */
export class FileTooLargeError extends AppError {
  constructor(readonly maxBytes: number) {
    super(
      'too_large',
      { text: `The file is larger than ${Math.floor(maxBytes / 1048576)} MB.` },
      { status: 413 },
    );
    this.name = 'FileTooLargeError';
  }
}

/**
 * A stored file that does not decrypt or whose SHA-256 does not match: its bytes were changed or
 * lost. Never served; reported to the admins.
 */
export class FileIntegrityError extends Error {
  override name = 'FileIntegrityError';
  constructor(
    readonly objectKey: string,
    detail: string,
  ) {
    super(`stored file ${objectKey} failed its integrity check (${detail})`);
  }
}
