import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { AppEnv } from '../types.ts';

/** A stored file opened for download: its bytes as a stream, their count, the name to save it as. */
export interface OpenedFile {
  body: Readable;
  size: number;
  fileName: string;
}

/**
 * A file as an HTTP answer to save, never rendered: an attachment of `contentType`, sandboxed by
 * its CSP, not sniffed, not cached.
 */
export function sendAttachment(c: Context<AppEnv>, file: OpenedFile, contentType: string): Response {
  c.header('Content-Type', contentType);
  c.header('Content-Length', String(file.size));
  c.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
  c.header('Content-Security-Policy', "default-src 'none'; sandbox");
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Cache-Control', 'no-store');
  return c.body(Readable.toWeb(file.body) as unknown as ReadableStream, 200);
}
