import { inflateSync } from 'node:zlib';

/** WinAnsi's 0x80–0x9F (Node's TextDecoder reads windows-1252 as Latin-1 there); the rest is Latin-1. */
const cp1252High = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const winAnsiText = {
  decode: (bytes: Buffer) =>
    [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? cp1252High[b - 0x80] : String.fromCharCode(b))).join(''),
};

/** One stream of the file: its dictionary and its body (inflated when it was deflated). */
interface PdfStream {
  object: string | null;
  dictionary: string;
  body: string;
}

/**
 * The streams of a PDF. Each is cut by its dictionary's /Length, never by searching for
 * "endstream": a deflated body that ends in a 0x0D byte would lose it to an optional "\r" and no
 * longer inflate.
 */
function streamsOf(raw: string): PdfStream[] {
  const out: PdfStream[] = [];
  for (const m of raw.matchAll(
    /(?:(\d+) 0 obj\s*)?(<<(?:(?!>>\s*stream|endobj)[\s\S])*\/Length (\d+)(?:(?!>>)[\s\S])*>>)\s*stream\r?\n/g,
  )) {
    const start = m.index + m[0].length;
    let body = raw.slice(start, start + Number(m[3]));
    try {
      body = inflateSync(Buffer.from(body, 'latin1')).toString('latin1');
    } catch {
      // not deflated
    }
    out.push({ object: m[1] ?? null, dictionary: m[2]!, body });
  }
  return out;
}

/** A ToUnicode CMap (bfchar and bfrange): the code's hex digits → its text. */
function toUnicodeOf(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, code, text] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
      map.set(code!.toUpperCase(), utf16(text!));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, lo, hi, first] of block[1]!.matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g,
    )) {
      const base = Number.parseInt(first!, 16);
      for (let c = Number.parseInt(lo!, 16); c <= Number.parseInt(hi!, 16); c++)
        map.set(
          c.toString(16).toUpperCase().padStart(lo!.length, '0'),
          utf16((base + c - Number.parseInt(lo!, 16)).toString(16).padStart(first!.length, '0')),
        );
    }
  return map;
}

/**
 * The fonts a page may select (`/Name size Tf`) that carry a ToUnicode map (the embedded
 * TrueType fonts: two-byte glyph codes): resource name → code → text.
 */
function unicodeFontsOf(raw: string, streams: PdfStream[]): Map<string, Map<string, string>> {
  const cmaps = new Map(streams.filter((s) => s.object).map((s) => [s.object!, s.body]));
  const byObject = new Map<string, Map<string, string>>();
  for (const m of raw.matchAll(
    /(\d+) 0 obj\s*<<((?:(?!endobj)[\s\S])*?\/ToUnicode (\d+) 0 R[\s\S]*?)endobj/g,
  )) {
    if (!/\/Type\s*\/Font/.test(m[2]!)) continue;
    const cmap = cmaps.get(m[3]!);
    if (cmap) byObject.set(m[1]!, toUnicodeOf(cmap));
  }
  const byName = new Map<string, Map<string, string>>();
  for (const dict of raw.matchAll(/\/Font\s*<<([^<>]*)>>/g))
    for (const [, name, object] of dict[1]!.matchAll(/\/([^\s/<>[\]()]+)\s+(\d+) 0 R/g)) {
      const map = byObject.get(object!);
      if (map) byName.set(name!, map);
    }
  return byName;
}

/**
 * The text drawn in a PDF's content streams, one drawn line per line: for tests that read a PDF
 * back. pdf-lib writes the streams deflated and its strings in hex — with a standard font in
 * WinAnsi ("€" is 0x80), with an embedded TrueType font as two-byte glyph codes that the font's
 * ToUnicode map turns back into text.
 */
export function pdfText(pdf: Buffer | Uint8Array): string {
  const raw = Buffer.from(pdf).toString('latin1');
  const streams = streamsOf(raw);
  const fonts = unicodeFontsOf(raw, streams);
  const out: string[] = [];
  for (const { body } of streams) {
    let font: Map<string, string> | undefined;
    for (const t of body.matchAll(
      /\/([^\s/<>[\]()]+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g,
    )) {
      if (t[1] !== undefined) font = fonts.get(t[1]);
      else if (t[2] !== undefined)
        out.push(
          font
            ? (t[2].toUpperCase().match(/.{4}/g) ?? []).map((code) => font!.get(code) ?? '\uFFFD').join('')
            : winAnsiText.decode(Buffer.from(t[2], 'hex')),
        );
      else out.push(t[3]!);
    }
  }
  return out.join('\n');
}

/** How many images a PDF holds (image XObjects: a logo, a drawn signature). */
export function pdfImageCount(pdf: Buffer | Uint8Array): number {
  return [
    ...Buffer.from(pdf)
      .toString('latin1')
      .matchAll(/\/Subtype\s*\/Image\b/g),
  ].length;
}
