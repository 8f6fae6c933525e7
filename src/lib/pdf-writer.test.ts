import * as pdfLib from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { degrees, rgb } from './pdf-writer.ts';

describe('pdf-writer', () => {
  it('makes colours and rotations as pdf-lib does (pdf-lib loads only with the first PDF)', () => {
    expect(rgb(0.1, 0.35, 0.85)).toEqual(pdfLib.rgb(0.1, 0.35, 0.85));
    expect(degrees(35)).toEqual(pdfLib.degrees(35));
  });
});
