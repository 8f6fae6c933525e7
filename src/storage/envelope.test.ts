import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeHeader, openChunk, sealChunkParts, TAG_BYTES } from './envelope.ts';

/*
 * The chunk seal is plain AES-256-GCM (files written before still open: vault-format.test.ts),
 * and it takes its input when called: the vault joins chunks in one scratch buffer that it
 * overwrites right after the call.
 */

const header = makeHeader(1024);

describe('chunk sealing', () => {
  it('is AES-256-GCM with the index as nonce and the header and last flag as additional data', async () => {
    const dataKey = randomBytes(32);
    const plain = randomBytes(1000);
    const nonce = Buffer.alloc(12);
    nonce.writeBigUInt64BE(5n, 4);
    const cipher = createCipheriv('aes-256-gcm', dataKey, nonce);
    cipher.setAAD(Buffer.concat([header, Buffer.from([1])]));
    const expected = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const sealed = Buffer.concat(sealChunkParts(dataKey, header, 5, true, plain));
    expect(sealed.equals(expected)).toBe(true);
    expect(openChunk(dataKey, header, 5, true, expected)?.equals(plain)).toBe(true);
    // Another index, the other flag, or a flipped byte: not opened.
    expect(openChunk(dataKey, header, 4, true, expected)).toBeNull();
    expect(openChunk(dataKey, header, 5, false, expected)).toBeNull();
    const flipped = Buffer.from(expected);
    flipped[3]! ^= 1;
    expect(openChunk(dataKey, header, 5, true, flipped)).toBeNull();
    expect(openChunk(dataKey, header, 5, true, expected.subarray(0, TAG_BYTES - 1))).toBeNull();
  });

  it('takes its input when called: the buffer may be overwritten at once', async () => {
    const dataKey = randomBytes(32);
    const size = 64 * 1024;
    const scratch = Buffer.alloc(size);
    const plains = [randomBytes(size), randomBytes(size), randomBytes(size)];
    const sealing = plains.map((plain, i) => {
      plain.copy(scratch);
      const sealed = Buffer.concat(sealChunkParts(dataKey, header, i, false, scratch));
      scratch.fill(0);
      return sealed;
    });
    const sealed = sealing;
    for (const [i, plain] of plains.entries()) {
      expect(openChunk(dataKey, header, i, false, sealed[i]!)?.equals(plain)).toBe(true);
    }
  });
});
