import { describe, expect, it } from 'vitest';
import { drain, streamOf } from '../../testing/streams.ts';
import { cleanFileName, sniffUpload } from './sniff-type.ts';

const sniffed = async (text: string | Buffer, name: string) => {
  const file = await sniffUpload(streamOf(Buffer.from(text)), name);
  const { bytes, error } = await drain(file.body);
  if (error) throw error;
  return { ...file, bytes };
};

describe('telling an upload’s type from its bytes', () => {
  it('takes plain text whose first letters look like a magic number (BM, MZ, ID3) when the name says .txt or .csv', async () => {
    for (const [text, name] of [
      ['BMI 24.2, weight stable\n', 'notes.txt'],
      ['MZ;Maria Zed;1980-02-03\n', 'list.csv'],
      ['ID3 follow-up in two weeks\n', 'plan.txt'],
    ] as const) {
      const file = await sniffed(text, name);
      expect(file.contentType).toMatch(/^text\/(plain|csv)$/);
      expect(file.bytes.toString()).toBe(text);
    }
  });

  it('refuses those same bytes under another name, and binary bytes named .txt', async () => {
    await expect(sniffed('BMI 24.2, weight stable\n', 'notes.bmp')).rejects.toMatchObject({ status: 415 });
    const binary = Buffer.concat([Buffer.from('BM'), Buffer.alloc(64)]);
    await expect(sniffed(binary, 'notes.txt')).rejects.toMatchObject({ status: 415 });
  });

  it('refuses an HTML page named .pdf', async () => {
    await expect(sniffed('<!doctype html><p>hi</p>', 'scan.pdf')).rejects.toMatchObject({
      code: 'unsupported_type',
    });
  });

  it('cleans names and gives them the type’s extension', () => {
    expect(cleanFileName('../../etc/..passwd', ['txt'])).toBe('passwd.txt');
    expect(cleanFileName('scan.pdf', ['jpg', 'jpeg'])).toBe('scan.pdf.jpg');
  });
});
