import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pdfText } from './pdf-text.ts';

/** A content stream as pdf-lib writes it: deflated, its length in the dictionary. */
const streamObject = (content: string) => {
  const body = deflateSync(Buffer.from(content, 'latin1'));
  return {
    body,
    pdf: Buffer.concat([
      Buffer.from(`1 0 obj\n<< /Filter /FlateDecode /Length ${body.length} >>\nstream\n`, 'latin1'),
      body,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    ]),
  };
};

describe('pdfText', () => {
  it('reads a deflated stream whose last byte is a carriage return (the flaky notes PDF test)', () => {
    // Find a drawn line whose deflated bytes end in 0x0D: searching for "\r?\nendstream" ate that byte.
    let found: { text: string; pdf: Buffer } | undefined;
    for (let i = 0; !found && i < 100_000; i++) {
      const text = `Signed 2026-12-0${i % 10} by Dr ${i}`;
      const { body, pdf } = streamObject(`BT\n<${Buffer.from(text, 'latin1').toString('hex')}> Tj\nET`);
      if (body.at(-1) === 0x0d) found = { text, pdf };
    }
    expect(found).toBeDefined();
    expect(pdfText(found!.pdf)).toBe(found!.text);
  });
});
