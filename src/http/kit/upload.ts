import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import type busboy from 'busboy';
import type { Context } from 'hono';
import type { UploadInput } from '../../domain/documents/index.ts';
import { AppError, fieldIssue, validationFailed } from '../../lib/errors.ts';
import type { AppEnv } from '../types.ts';

/**
 * File uploads, streamed: the only requests the 1 MiB body limit lets through (server.ts), and
 * the only non-JSON POSTs the API takes (csrf.ts: multipart is a simple request a cross-site form
 * could send, so these routes rely on the session cookies being SameSite and on the Origin check).
 * The upload routes are these, exactly.
 */
const streamedUploadRoutes: readonly RegExp[] = [
  /^\/api\/v1\/patients\/[^/]+\/documents$/,
  /^\/api\/v1\/me\/documents$/,
  /^\/staff\/patients\/[^/]+\/documents$/,
  /^\/staff\/admin\/import$/,
];

/** Whether this request is a POST to one of the upload routes. */
export const isStreamedUpload = (c: Context): boolean =>
  c.req.method === 'POST' && streamedUploadRoutes.some((r) => r.test(c.req.path));

/**
 * Runs `handle` with the upload as it streams in (busboy): the form's text fields — which must
 * come before the file — and the one `file` part, handed on the moment it starts, never held
 * whole. Whatever `handle` leaves unread is drained, so the connection stays usable; a form
 * without a file is 422, a body that is not multipart 415.
 */
export async function withStreamedUpload<T>(
  c: Context<AppEnv>,
  handle: (upload: UploadInput) => Promise<T>,
): Promise<T> {
  const { default: busboy } = await import('busboy'); // with the first upload, not at every start
  return new Promise<T>((resolve, reject) => {
    const body = c.req.raw.body;
    let parser: busboy.Busboy;
    try {
      if (!body) throw new Error('no body');
      parser = busboy({
        headers: { 'content-type': c.req.header('content-type') ?? '' },
        defParamCharset: 'utf8', // file names as browsers send them (else read as Latin-1)
        limits: { files: 1, fields: 20, fieldSize: 4096, parts: 30 },
      });
    } catch {
      reject(new AppError('unsupported_media_type', 'upload_not_multipart', { status: 415 }));
      return;
    }
    const fields: Record<string, string> = {};
    let started = false;
    parser.on('field', (name, value) => {
      if (!started) fields[name] = value;
    });
    parser.on('file', (name, file, info) => {
      if (name !== 'file' || started) {
        file.resume();
        return;
      }
      started = true;
      handle({ fields, file, fileName: info.filename ?? '' }).then(
        (result) => {
          file.resume();
          resolve(result);
        },
        (error: unknown) => {
          file.resume();
          reject(error);
        },
      );
    });
    parser.on('close', () => {
      if (!started) reject(validationFailed([fieldIssue('file', 'upload_file_missing')]));
    });
    parser.on('error', (error) => {
      if (!started)
        reject(new AppError('unsupported_media_type', 'upload_not_multipart', { status: 415, cause: error }));
    });
    const source = Readable.fromWeb(body as unknown as NodeWebStream<Uint8Array>);
    // A dropped connection fails the parser, and with it the file stream being stored.
    source.on('error', (error) => parser.destroy(error));
    source.pipe(parser);
  });
}
