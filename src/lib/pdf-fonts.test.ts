import { describe, expect, it } from 'vitest';
import { pdfText } from '../testing/pdf-text.ts';
import { drawableIn, startPdf } from './pdf-writer.ts';

/*
 * Every PDF made through startPdf (invoices, receipts, notes, form answers) draws with an embedded
 * DejaVu Sans subset: Greek, Cyrillic and Latin with any accent come back as written; a character
 * the font lacks (CJK) becomes a visible "?", never a blank or an error.
 */
describe('PDF fonts', () => {
  it('draws Greek, Cyrillic and accented Latin; CJK becomes ?', async () => {
    const w = await startPdf('Ελένη — Иван');
    w.text('Ελένη Παπαδοπούλου', { font: w.fonts.bold, size: 14 });
    w.text('Иван Петров · Łukasz Ødegård Zoë Nguyễn', { size: 10 });
    w.row(
      [
        { text: 'Ἀθῆναι', x: 0, width: 200 },
        { text: '王芳', x: 200, width: 100, align: 'right' },
      ],
      { size: 9 },
    );
    const bytes = await w.pdf.save({ useObjectStreams: false });
    const text = pdfText(bytes);
    expect(text).toContain('Ελένη Παπαδοπούλου');
    expect(text).toContain('Иван Петров · Łukasz Ødegård Zoë Nguyễn');
    expect(text).toContain('Ἀθῆναι');
    expect(text).toContain('??');
    expect(text).not.toContain('王');
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/FontFile2/);
    expect(bytes.length).toBeLessThan(40_000); // subsets, not the ~740 KB files
  });

  it('one PDF’s text never changes how another reads back (the parsed font is shared, not its glyphs)', async () => {
    const textOf = async (text: string) => {
      const w = await startPdf('t');
      w.text(text, { size: 10 });
      return pdfText(await w.pdf.save({ useObjectStreams: false }));
    };
    expect(await textOf('Ελένη Παπαδοπούλου')).toBe('Ελένη Παπαδοπούλου');
    // Read back as "Иван \ufffdетров" when fontkit's glyph cache was shared across PDFs.
    expect(await textOf('Иван Петров')).toBe('Иван Петров');
  });

  it('replaces only what the font cannot draw', async () => {
    const { fonts } = await startPdf('t');
    expect(drawableIn(fonts.regular, 'Ψ Ж ł\u202f€\n王')).toBe('Ψ Ж ł € ?');
  });
});
