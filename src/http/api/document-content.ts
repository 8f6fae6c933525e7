import { Readable } from 'node:stream';
import type { Context } from 'hono';
import {
  allowedTypes,
  type DocumentRow,
  etagOf,
  type OpenedDocument,
  type OpenOptions,
  RangeNotSatisfiable,
  type RangeRequest,
} from '../../domain/documents/index.ts';
import { fileAnswer } from '../kit/api.ts';
import type { AppEnv } from '../types.ts';

/**
 * A document's bytes as an HTTP answer: ETag (its SHA-256) and If-None-Match, one byte range
 * (`Range: bytes=a-b`, `a-`, `-n`; If-Range), and the browser held on a short leash — PDFs and
 * images inline (`?download=1`: attachment), everything else an attachment, always under
 * `default-src 'none'; sandbox` and nosniff, so even a file that looks like a page runs nothing; only
 * the app's own pages may frame it (the chart's preview: `frame-ancestors 'self'`).
 */

/** What the request asks for: its range and validators. */
export function openOptionsOf(c: Context<AppEnv>): OpenOptions {
  return {
    range: rangeOf(c.req.header('range')),
    ifNoneMatch: c.req.header('if-none-match'),
    ifRange: c.req.header('if-range'),
  };
}

/** One `bytes=` range, or undefined (none, several, or not understood: the whole file is sent). */
function rangeOf(header: string | undefined): RangeRequest | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') return { suffix: Number(m[2]) };
  const start = Number(m[1]);
  const end = m[2] === '' ? undefined : Number(m[2]);
  if (end !== undefined && end < start) return undefined;
  return { start, end };
}

/**
 * The types a browser may show in place: PDFs and the allowed raster images, named one by one — an
 * `image/*` pattern would take `image/svg+xml`, a page that runs scripts, should a row ever name it.
 */
const inlineTypes = new Set(
  Object.values(allowedTypes)
    .map((t) => t.mime)
    .filter((mime) => mime === 'application/pdf' || /^image\/(jpeg|png|heic|heif|webp|tiff)$/.test(mime)),
);

/** The Content-Disposition: the clean stored name, ASCII and UTF-8 (RFC 6266 / 5987). */
function dispositionOf(doc: DocumentRow, download: boolean): string {
  const kind = !download && inlineTypes.has(doc.contentType) ? 'inline' : 'attachment';
  const ascii = doc.fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`;
}

/** Opens the content through `open` and answers it (200, 206, 304, or 416 with the size). */
export async function sendDocumentContent(
  c: Context<AppEnv>,
  open: (options: OpenOptions) => Promise<OpenedDocument>,
): Promise<Response> {
  let opened: OpenedDocument;
  try {
    opened = await open(openOptionsOf(c));
  } catch (error) {
    if (error instanceof RangeNotSatisfiable) c.header('Content-Range', `bytes */${error.size}`);
    throw error;
  }
  const doc = opened.document;
  c.header('ETag', etagOf(doc));
  c.header('Accept-Ranges', 'bytes');
  c.header('Content-Security-Policy', "default-src 'none'; sandbox; frame-ancestors 'self'");
  c.header('X-Content-Type-Options', 'nosniff');
  if (opened.notModified) return c.body(null, 304);
  const text = doc.contentType.startsWith('text/');
  c.header('Content-Type', text ? `${doc.contentType}; charset=utf-8` : doc.contentType);
  c.header('Content-Disposition', dispositionOf(doc, c.req.query('download') === '1'));
  const body = Readable.toWeb(opened.body) as unknown as ReadableStream;
  const { range } = opened;
  if (!range) {
    c.header('Content-Length', String(doc.size));
    return c.body(body, 200);
  }
  c.header('Content-Range', `bytes ${range.start}-${range.end}/${doc.size}`);
  c.header('Content-Length', String(range.end - range.start + 1));
  return c.body(body, 206);
}

/** How the OpenAPI document describes a content answer. */
export const contentAnswers = {
  200: fileAnswer(
    'application/octet-stream',
    'The file (Content-Disposition inline for PDFs and images, else attachment; ETag; CSP sandbox)',
  ),
  206: { description: 'The byte range asked for (Range: bytes=a-b)' },
  304: { description: 'Not modified (If-None-Match named the ETag)' },
  416: { description: 'The range is outside the file (Content-Range: bytes */size)' },
  500: { description: 'The stored file failed its integrity check: not served, reported to admins' },
};

/** An upload's form fields besides `file`, as the OpenAPI document describes them. */
type UploadFields = Record<string, { type: 'string'; description: string; enum?: string[] }>;

/** How the OpenAPI document describes an upload's body (streamed: fields first, then `file`). */
function uploadBody(fields: UploadFields) {
  return {
    required: true,
    description:
      'multipart/form-data, the fields first and `file` last (streamed; the 1 MiB body limit does not apply)',
    content: {
      'multipart/form-data': {
        schema: {
          type: 'object' as const,
          required: ['file'],
          properties: { ...fields, file: { type: 'string' as const, format: 'binary' } },
        },
      },
    },
  };
}

/** An upload route with its body in the OpenAPI document (not validated by it: streamed, see kit/upload.ts). */
export const withUploadBody = <R extends { request?: object }>(route: R, fields: UploadFields): R =>
  Object.assign(route, { request: { ...route.request, body: uploadBody(fields) } });
