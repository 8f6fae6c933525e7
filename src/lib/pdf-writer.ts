import type { Color, PDFDocument, PDFFont, PDFPage, Rotation } from 'pdf-lib';
import { loadPdfFonts } from './pdf-fonts.ts';

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

/**
 * What every Clinicbox PDF is drawn with (answers and notes, invoices and receipts): an A4 page,
 * DejaVu Sans and DejaVu Sans Bold (TrueType, embedded as subsets of the glyphs used: Latin with
 * every accent, Greek, Cyrillic — pdf-fonts.ts) and a writer that lays text down the page,
 * wrapping lines and starting new pages. A character the font has no glyph for (Chinese,
 * Japanese, Korean: a CJK font is 10+ MB, too much for the binary) becomes "?", visibly, never a
 * blank or a failed PDF; a Latin letter outside the font first tries its base letter.
 */
export const A4 = { width: 595.28, height: 841.89 };

/**
 * pdf-lib's `rgb()` and `degrees()`, which make plain values: made here so that pdf-lib itself
 * (137 modules) loads with the first PDF (`startPdf`), not at every start of the server.
 */
export const rgb = (red: number, green: number, blue: number) => ({ type: 'RGB', red, green, blue }) as Color;
export const degrees = (angle: number) => ({ type: 'degrees', angle }) as Rotation;

export const MARGIN = 50;
export const INK = rgb(0.1, 0.1, 0.1);
export const MUTED = rgb(0.35, 0.35, 0.35);

export interface PdfFonts {
  regular: PDFFont;
  bold: PDFFont;
}

/**
 * `text` as `font` can draw it: line breaks and spaces of any kind (a number format's narrow
 * no-break space) become a space; a character without a glyph its base letter ("ȩ" → "e") when
 * the font has that, else "?".
 */
export function drawableIn(font: PDFFont, text: string): string {
  const has = characterSetOf(font);
  let out = '';
  for (const ch of text.normalize('NFC').replace(/[\t\r\n]+/g, ' ')) {
    const code = ch.codePointAt(0)!;
    if (/\s/u.test(ch)) out += ' ';
    else if (has(code)) out += ch;
    else {
      const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
      out += base && [...base].every((c) => has(c.codePointAt(0)!)) ? base : '?';
    }
  }
  return out;
}

/** Code point → whether `font` draws it (the embedded font's cmap, read once per font name). */
const characterSets = new Map<string, Set<number>>();
function characterSetOf(font: PDFFont): (code: number) => boolean {
  let set = characterSets.get(font.name);
  if (!set) {
    set = new Set(font.getCharacterSet());
    characterSets.set(font.name, set);
  }
  const codes = set;
  return (code) => code >= 0x20 && codes.has(code);
}

/** One cell of a table row: its text, left edge (from the margin), width and alignment. */
export interface PdfCell {
  text: string;
  x: number;
  width: number;
  align?: 'left' | 'right';
  font?: PDFFont;
}

/** Lays text down a page, wrapping lines and starting new pages as needed. */
export class Writer {
  page: PDFPage;
  y: number;
  constructor(
    readonly pdf: PDFDocument,
    readonly fonts: PdfFonts,
  ) {
    this.page = pdf.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
  }

  /** The width between the margins. */
  get width(): number {
    return A4.width - 2 * MARGIN;
  }

  /** The page to draw `height` more points on (a new one when this one is full). */
  room(height: number): PDFPage {
    if (this.y - height < MARGIN) {
      this.page = this.pdf.addPage([A4.width, A4.height]);
      this.y = A4.height - MARGIN;
    }
    return this.page;
  }

  gap(points: number): void {
    this.y -= points;
  }

  text(raw: string, options: { font?: PDFFont; size: number; indent?: number; color?: Color }): void {
    const font = options.font ?? this.fonts.regular;
    const indent = options.indent ?? 0;
    const width = this.width - indent;
    const lineHeight = options.size * 1.3;
    const lines = raw
      .split(/\r?\n/)
      .flatMap((paragraph) => wrap(drawableIn(font, paragraph), font, options.size, width));
    for (const line of lines) {
      const page = this.room(lineHeight);
      this.y -= lineHeight;
      page.drawText(line, {
        x: MARGIN + indent,
        y: this.y,
        size: options.size,
        font,
        color: options.color ?? INK,
      });
    }
  }

  /**
   * One row of a table: each cell wrapped in its column (right-aligned ones for amounts), the row
   * as tall as its tallest cell, moved whole to a new page when it does not fit.
   */
  row(cells: readonly PdfCell[], options: { size: number; color?: Color }): void {
    const lineHeight = options.size * 1.3;
    const wrapped = cells.map((cell) => {
      const font = cell.font ?? this.fonts.regular;
      return { cell, font, lines: wrap(drawableIn(font, cell.text), font, options.size, cell.width) };
    });
    const height = Math.max(...wrapped.map((w) => w.lines.length)) * lineHeight;
    const page = this.room(height);
    for (const { cell, font, lines } of wrapped) {
      lines.forEach((line, i) => {
        const shift = cell.align === 'right' ? cell.width - widthOf(font, line, options.size) : 0;
        page.drawText(line, {
          x: MARGIN + cell.x + shift,
          y: this.y - (i + 1) * lineHeight,
          size: options.size,
          font,
          color: options.color ?? INK,
        });
      });
    }
    this.y -= height;
  }

  /** A thin line across the page. */
  rule(): void {
    const page = this.room(6);
    this.y -= 3;
    page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: A4.width - MARGIN, y: this.y },
      thickness: 0.5,
      color: MUTED,
    });
    this.y -= 3;
  }
}

/**
 * `text` cut into lines no wider than `width` (at spaces, else mid-word). A line's width is the
 * sum of its words' and spaces' (each measured once, `widthOf`): laying out a TrueType font's text
 * is slow, and measuring every growing line anew made wrapping quadratic.
 */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  const space = widthOf(font, ' ', size);
  let line = '';
  let lineWidth = 0;
  for (const word of text.split(' ')) {
    const wordWidth = widthOf(font, word, size);
    const nextWidth = line ? lineWidth + space + wordWidth : wordWidth;
    if (nextWidth <= width) {
      line = line ? `${line} ${word}` : word;
      lineWidth = nextWidth;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    lineWidth = wordWidth;
    while (lineWidth > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && widthOf(font, line.slice(0, cut), size) > width) cut -= 1;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
      lineWidth = widthOf(font, line, size);
    }
  }
  lines.push(line);
  return lines;
}

/** Widths at size 1 by font name, then text: words repeat across PDFs; emptied past 20,000. */
const widths = new Map<string, Map<string, number>>();

/** `text`'s width in `font` at `size` (points), remembered (it scales with the size). */
export function widthOf(font: PDFFont, text: string, size: number): number {
  let known = widths.get(font.name);
  if (!known) {
    known = new Map();
    widths.set(font.name, known);
  }
  let unit = known.get(text);
  if (unit === undefined) {
    if (known.size >= 20_000) known.clear();
    unit = font.widthOfTextAtSize(text, 1);
    known.set(text, unit);
  }
  return unit * size;
}

/**
 * A new document titled `title` (made by Clinicbox), with DejaVu Sans and DejaVu Sans Bold to be
 * embedded (subsets: only the glyphs drawn), and a writer on its first page (`w.pdf`, `w.fonts`).
 * pdf-lib, fontkit and the font files load with the first PDF, not at start-up.
 */
export async function startPdf(title: string): Promise<Writer> {
  const [{ PDFDocument }, fontkit, files] = await Promise.all([
    import('pdf-lib'),
    loadFontkit(),
    loadPdfFonts(),
  ]);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(title.normalize('NFC'));
  pdf.setProducer('Clinicbox');
  pdf.setCreator('Clinicbox');
  const fonts = {
    regular: await pdf.embedFont(files.regular, { subset: true }),
    bold: await pdf.embedFont(files.bold, { subset: true }),
  };
  return new Writer(pdf, fonts);
}

let fontkitLoaded: Promise<Fontkit> | undefined;
/**
 * @pdf-lib/fontkit (a CommonJS bundle: its default export, or the module itself), parsing each font
 * file once: pdf-lib parses the file at every `embedFont`, ~300 ms of every PDF. Each PDF gets its
 * own view of the parsed font (`Object.create`: the tables shared, its own glyph cache), because
 * fontkit keeps a glyph with the characters it was first made for, which the PDF's ToUnicode map
 * (text search, copy, screen readers) is written from: a cache shared across PDFs made one PDF's
 * "П" read back as another's "Π".
 */
function loadFontkit(): Promise<Fontkit> {
  fontkitLoaded ??= import('@pdf-lib/fontkit').then((m) => {
    const fontkit = ((m as { default?: Fontkit }).default ?? m) as Fontkit;
    const parsed = new WeakMap<Uint8Array, ReturnType<Fontkit['create']>>();
    return {
      create(bytes: Uint8Array, postscriptName?: string) {
        let font = parsed.get(bytes);
        if (!font) {
          font = fontkit.create(bytes, postscriptName);
          parsed.set(bytes, font);
        }
        return Object.assign(Object.create(font), { _glyphs: {} });
      },
    } as Fontkit;
  });
  return fontkitLoaded;
}
