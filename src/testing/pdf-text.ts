import { inflateSync } from 'node:zlib';

/** WinAnsi's 0x80–0x9F (Node's TextDecoder reads windows-1252 as Latin-1 there); the rest is Latin-1. */
const cp1252High = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const winAnsiText = {
  decode: (bytes: Buffer) =>
    [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? cp1252High[b - 0x80] : String.fromCharCode(b))).join(''),
};

/**
 * The text drawn in a PDF's content streams, one drawn line per line (pdf-lib writes the streams
 * deflated and its strings in hex, in WinAnsi — "€" is 0x80): for tests that read a PDF back.
 */
export function pdfText(pdf: Buffer | Uint8Array): string {
  const raw = Buffer.from(pdf).toString('latin1');
  const out: string[] = [];
  // Each stream is cut by its dictionary's /Length, never by searching for "endstream": a deflated
  // body that ends in a 0x0D byte would lose it to an optional "\r" and no longer inflate.
  for (const m of raw.matchAll(/\/Length (\d+)(?:(?!>>)[\s\S])*>>\s*stream\r?\n/g)) {
    const start = m.index + m[0].length;
    let body = raw.slice(start, start + Number(m[1]));
    try {
      body = inflateSync(Buffer.from(body, 'latin1')).toString('latin1');
    } catch {
      // not deflated
    }
    for (const t of body.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
      out.push(winAnsiText.decode(Buffer.from(t[1]!, 'hex')));
    for (const t of body.matchAll(/\(((?:\\.|[^\\)])*)\)\s*Tj/g)) out.push(t[1]!);
  }
  return out.join('\n');
}
