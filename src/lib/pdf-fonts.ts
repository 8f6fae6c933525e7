import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * The TrueType fonts every PDF is drawn with: DejaVu Sans and DejaVu Sans Bold (the
 * dejavu-fonts-ttf package; Latin with every accent, Greek, Cyrillic, ~740 KB each, embedded in
 * each PDF as a subset of the glyphs it draws). Under Bun they come through `with { type: 'file' }`
 * imports (pdf-fonts.bun.ts), which `bun build --compile` embeds in the binary — nothing is read
 * beside it; under Node from node_modules. Read once, with the first PDF.
 */
export interface PdfFontFiles {
  regular: Uint8Array;
  bold: Uint8Array;
}

const REGULAR = 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf';
const BOLD = 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf';

let loaded: Promise<PdfFontFiles> | undefined;

export function loadPdfFonts(): Promise<PdfFontFiles> {
  loaded ??= readFonts().catch((error) => {
    loaded = undefined; // a failed read is tried again with the next PDF
    throw error;
  });
  return loaded;
}

async function readFonts(): Promise<PdfFontFiles> {
  const bun = (globalThis as { Bun?: { file(path: string): Blob } }).Bun;
  if (bun) {
    const paths = await import('./pdf-fonts.bun.ts');
    const [regular, bold] = await Promise.all(
      [paths.regular, paths.bold].map(async (p) => new Uint8Array(await bun.file(p).arrayBuffer())),
    );
    return { regular: regular!, bold: bold! };
  }
  const require = createRequire(import.meta.url);
  const [regular, bold] = await Promise.all([REGULAR, BOLD].map((f) => readFile(require.resolve(f))));
  return { regular: new Uint8Array(regular!), bold: new Uint8Array(bold!) };
}
