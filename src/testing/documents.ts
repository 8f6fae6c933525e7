import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { crc32 } from 'node:zlib';
import { expect } from 'vitest';
import type { App } from '../app.ts';
import type { TestBrowser } from './browser.ts';

/**
 * Test files of each allowed kind, and an upload posted the way a browser's FormData does
 * (multipart, the fields first and the file last), with the browser's cookies.
 */
export const samplePdf = (text = 'hello') =>
  Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
/**
 * A PDF a browser's viewer really opens (one A4 page with `text`, made by pdf-lib), where
 * samplePdf's few lines only pass the type sniffing: Chromium's viewer says it failed to load them.
 */
export async function readablePdf(text: string): Promise<Buffer> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 60, y: 760, size: 18, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}
/** A 1×1 PNG. */
export const samplePng = () =>
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );

/** A minimal Word document (a zip of its content types and body, stored). */
export function sampleDocx(): Buffer {
  const types =
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
  return storedZip([
    ['[Content_Types].xml', types],
    ['word/document.xml', '<w:document/>'],
  ]);
}

/**
 * The fields a zip entry's local header and its central directory record share, in the same
 * order (version needed, flags, method, time, date, CRC-32, sizes, name length), from `at`:
 * version 2.0, stored (the compressed size is the size), the rest zero.
 */
function writeEntryFields(header: Buffer, at: number, crc: number, size: number, nameLength: number) {
  header.writeUInt16LE(20, at);
  header.writeUInt32LE(crc, at + 10);
  header.writeUInt32LE(size, at + 14);
  header.writeUInt32LE(size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

function storedZip(entries: [string, string][]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const n = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, crc, data.length, n.length);
    parts.push(local, n, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // made by version 2.0
    writeEntryFields(entry, 6, crc, data.length, n.length);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, n);
    offset += local.length + n.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

/** Posts `file` (none: a form without one) with `fields` as multipart to `path`, as `browser` (from `origin`). */
export async function postFile(
  app: App,
  browser: TestBrowser,
  path: string,
  file: { name: string; bytes: Buffer; type?: string } | null,
  fields: Record<string, string> = {},
  origin = 'http://localhost',
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file)
    form.append(
      'file',
      new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
  return app.http.request(`http://localhost${path}`, {
    method: 'POST',
    headers: { cookie: cookieOf(browser), origin },
    body: form,
  });
}

/**
 * An upload of scan.pdf to `path`, as `browser`, whose body is a stream: the form's head and a
 * small PDF, then what `rest` writes (erroring the stream is the connection dropping part way).
 */
export async function postStreamedUpload(
  app: App,
  browser: TestBrowser,
  path: string,
  rest: UnderlyingDefaultSource<Uint8Array>,
): Promise<Response> {
  const boundary = 'dropped-upload';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\nother\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(head));
      controller.enqueue(new Uint8Array(samplePdf()));
      return rest.start?.(controller);
    },
    pull: rest.pull,
  });
  return app.http.request(`http://localhost${path}`, {
    method: 'POST',
    headers: {
      cookie: cookieOf(browser),
      origin: 'http://localhost',
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body,
    duplex: 'half',
  } as RequestInit);
}

export const cookieOf = (browser: TestBrowser) =>
  [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** The object keys under `documents/` in a disk store's folder (temp files left out). */
export function storedObjectKeys(filesPath: string): string[] {
  const root = join(filesPath, 'documents');
  try {
    return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((d) => d.isFile())
      .map((d) => relative(filesPath, join(d.parentPath, d.name)))
      .sort();
  } catch {
    return [];
  }
}

/**
 * A stored document whose bytes were changed: its content is refused whole and by range (500
 * `file_damaged`, nothing of the file in the answer), an audit row names it, and the clinic's
 * admin is told once.
 */
export async function expectDamagedRefused(app: App, reader: TestBrowser, id: string, adminId: string) {
  const res = await reader.get(`/api/v1/documents/${id}/content`);
  expect(res.status).toBe(500);
  const text = await res.text();
  expect(JSON.parse(text).error.code).toBe('file_damaged');
  expect(text).not.toContain('rot');
  expect((await reader.get(`/api/v1/documents/${id}/content`, { range: 'bytes=0-3' })).status).toBe(500);

  const audit = await app.deps.audit.list({ limit: 500 });
  expect(audit.some((r) => r.action === 'document.integrity-failed' && r.entityId === id)).toBe(true);
  const told = (await app.deps.db.reader.db.select().from(app.deps.db.reader.t.deliveries)).filter(
    (d) => d.messageType === 'file-damaged',
  );
  expect(told.map((d) => d.staffId)).toEqual([adminId]); // once a day, however often asked
}
