import type { Color, PDFDocument, PDFFont, PDFPage, Rotation } from 'pdf-lib';

/**
 * What every Clinicbox PDF is drawn with (answers and notes, invoices and receipts): an A4 page,
 * the standard Helvetica fonts (nothing to embed, works in the binary) and a writer that lays
 * text down the page, wrapping lines and starting new pages. The standard fonts draw WinAnsi only
 * (pdf-lib throws on "ł"): `winAnsi` makes any text drawable, so a name in another script never
 * makes a PDF fail — Latin letters lose their accent ("ł" → "l", "ő" → "o"), other scripts become "?".
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

/** Windows-1252's characters above 0x7F that are not Latin-1 (WinAnsi encodes them too). */
const cp1252Extras = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
/** Latin letters that no decomposition takes to a drawable one. */
const latinExtras: Record<string, string> = { ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ı: 'i', ħ: 'h', Ħ: 'H' };

const drawable = (ch: string): boolean => {
  const code = ch.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || cp1252Extras.includes(ch);
};

/**
 * `text` with every character the standard fonts cannot draw replaced: spaces of any kind (a
 * number format's narrow no-break space) become a space, a Latin letter its base letter, any
 * other `?`; line breaks become spaces.
 */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(/[\t\r\n]+/g, ' ')) {
    if (drawable(ch)) out += ch;
    else if (/\s/u.test(ch)) out += ' ';
    else if (latinExtras[ch]) out += latinExtras[ch];
    else {
      const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
      out += base && [...base].every(drawable) ? base : '?';
    }
  }
  return out;
}

export interface PdfFonts {
  regular: PDFFont;
  bold: PDFFont;
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
      .flatMap((paragraph) => wrap(winAnsi(paragraph), font, options.size, width));
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
      return { cell, font, lines: wrap(winAnsi(cell.text), font, options.size, cell.width) };
    });
    const height = Math.max(...wrapped.map((w) => w.lines.length)) * lineHeight;
    const page = this.room(height);
    for (const { cell, font, lines } of wrapped) {
      lines.forEach((line, i) => {
        const shift = cell.align === 'right' ? cell.width - font.widthOfTextAtSize(line, options.size) : 0;
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

/** `text` cut into lines no wider than `width` (at spaces, else mid-word). */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut -= 1;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  lines.push(line);
  return lines;
}

/**
 * A new document titled `title` (made by Clinicbox), with Helvetica and Helvetica Bold embedded,
 * and a writer on its first page (`w.pdf`, `w.fonts`).
 */
export async function startPdf(title: string): Promise<Writer> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  pdf.setTitle(winAnsi(title));
  pdf.setProducer('Clinicbox');
  pdf.setCreator('Clinicbox');
  const fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
  };
  return new Writer(pdf, fonts);
}
