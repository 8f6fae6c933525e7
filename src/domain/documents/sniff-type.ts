import { Readable } from 'node:stream';
import { AppError } from '../../lib/errors.ts';
import { typeFromBytes } from '../../lib/sniff-bytes.ts';

/**
 * What a stored file may be, told from its bytes (`file-type`'s magic numbers), never from its
 * name or the browser's Content-Type. Plain text and CSV have no magic: they are taken only when
 * the name says .txt/.csv and every byte is UTF-8 text without NULs (checked as the file streams,
 * so a binary file named .txt is refused part way, and nothing is kept). HTML and SVG are never
 * allowed: an HTML page named .pdf has no PDF magic and is refused.
 */
export const allowedTypes: Record<string, { mime: string; extensions: readonly string[] }> = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'] },
  jpg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { mime: 'image/png', extensions: ['png'] },
  heic: { mime: 'image/heic', extensions: ['heic', 'heif'] },
  heif: { mime: 'image/heif', extensions: ['heif', 'heic'] },
  webp: { mime: 'image/webp', extensions: ['webp'] },
  tif: { mime: 'image/tiff', extensions: ['tif', 'tiff'] },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
  },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  txt: { mime: 'text/plain', extensions: ['txt'] },
  csv: { mime: 'text/csv', extensions: ['csv'] },
};

/** How many bytes are read ahead to tell the type (a DOCX or XLSX names its parts near the start). */
const SNIFF_BYTES = 256 * 1024;

/** 415 `unsupported_type`: the file's bytes are not one of the allowed kinds. */
export const unsupportedType = () =>
  new AppError('unsupported_type', 'unsupported_file_type', { status: 415 });

/** A sniffed upload: its type, a clean name with the type's extension, and the whole body again. */
export interface SniffedFile {
  ext: string;
  contentType: string;
  fileName: string;
  body: Readable;
}

/**
 * Reads the head of `body`, tells its type against the allow-list (or refuses it with 415) and
 * answers a stream of the whole file (head included). Text is checked to its last byte on the way.
 */
export async function sniffUpload(body: Readable, givenName: string): Promise<SniffedFile> {
  const source = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < SNIFF_BYTES) {
    const next = await source.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.from(next.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  const found = await typeFromBytes(head);
  const nameExt = /\.([a-z0-9]+)$/i.exec(givenName.trim())?.[1]?.toLowerCase() ?? '';
  const allowed = found && Object.entries(allowedTypes).find(([, t]) => t.mime === found.mime);
  let ext: string;
  let text = false;
  if (allowed) {
    ext = allowed[0];
  } else if ((nameExt === 'txt' || nameExt === 'csv') && head.length > 0) {
    // Some magic numbers are letters ("BM", "MZ", "ID3"): text named so that starts with them is
    // still text when every byte is UTF-8 without NULs (checked below, to the last byte).
    ext = nameExt;
    text = true;
  } else {
    throw unsupportedType();
  }
  const check = text ? utf8Checker() : null;
  check?.(head, done);
  async function* whole() {
    yield head;
    while (!done) {
      const next = await source.next();
      if (next.done) break;
      const chunk = Buffer.from(next.value);
      check?.(chunk, false);
      yield chunk;
    }
    check?.(Buffer.alloc(0), true);
  }
  const type = allowedTypes[ext]!;
  return {
    ext,
    contentType: type.mime,
    fileName: cleanFileName(givenName, type.extensions),
    body: Readable.from(whole()),
  };
}

/** A checker fed the bytes in order: throws `unsupported_type` at the first NUL or bad UTF-8. */
function utf8Checker() {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return (chunk: Buffer, last: boolean) => {
    if (chunk.includes(0)) throw unsupportedType();
    try {
      decoder.decode(chunk, { stream: !last });
    } catch {
      throw unsupportedType();
    }
  };
}

/**
 * A file name safe to show and to put in a Content-Disposition: no folders, no control or
 * reserved characters, no leading dots, at most 120 characters, ending with one of the type's
 * extensions (`scan.pdf` that is really a JPEG becomes `scan.pdf.jpg`).
 */
export function cleanFileName(name: string, extensions: readonly string[]): string {
  const base =
    name
      .normalize('NFC')
      .split(/[/\\]/)
      .pop()!
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
      .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
      .replace(/\s+/g, ' ')
      .replace(/^[.\s]+|[.\s]+$/g, '') || 'document';
  const ext = /\.([a-z0-9]+)$/i.exec(base)?.[1]?.toLowerCase();
  const withExt = ext && extensions.includes(ext) ? base : `${base}.${extensions[0]}`;
  if (withExt.length <= 120) return withExt;
  const suffix = withExt.slice(withExt.lastIndexOf('.'));
  return `${withExt.slice(0, 120 - suffix.length).trimEnd()}${suffix}`;
}

/** A title from a file's name: without its extension. */
export const titleFromName = (fileName: string): string =>
  fileName.replace(/\.[a-z0-9]+$/i, '').slice(0, 200);
