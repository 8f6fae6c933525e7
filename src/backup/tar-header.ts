/**
 * The tar framing of a backup archive, written straight into the blocks the cipher's thread
 * takes (archive-blocks.ts) instead of through tar-stream's pack: the same bytes tar-stream
 * writes for a regular file of mode 0600 owned by uid/gid 0 (a test holds them to its output,
 * long names included), so tar-stream's extract and GNU tar read the archive as before.
 * A header is ustar; a name that does not fit it (over 100 bytes that no `/` splits into
 * prefix and name, or not ASCII) goes in a pax extended header first, as tar-stream does.
 */
export const TAR_BLOCK = 512;
/** The two empty blocks that end a tar archive. */
export const TAR_END_SIZE = 2 * TAR_BLOCK;

/** Zero bytes that round `size` up to a whole tar block. */
export const tarPadding = (size: number) => (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;

/** The header (one block, or a pax header and its record before it) of a file part. */
export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const plain = ustar(name, size, mtime, 0);
  if (plain) return plain;
  const record = paxRecord(`path=${name}`);
  const pax = Buffer.alloc(TAR_BLOCK + record.length + tarPadding(record.length) + TAR_BLOCK);
  ustarInto(pax, 0, 'PaxHeader', '', record.length, mtime, 72);
  record.copy(pax, TAR_BLOCK);
  ustarInto(pax, pax.length - TAR_BLOCK, 'PaxHeader', '', size, mtime, 0);
  return pax;
}

/** A ustar header, or null when the name does not fit one. */
function ustar(fullName: string, size: number, mtime: Date, type: number): Buffer | null {
  if (Buffer.byteLength(fullName) !== fullName.length) return null;
  let name = fullName;
  let prefix = '';
  while (name.length > 100) {
    const i = name.indexOf('/');
    if (i === -1) return null;
    prefix += prefix ? `/${name.slice(0, i)}` : name.slice(0, i);
    name = name.slice(i + 1);
  }
  if (prefix.length > 155) return null;
  const buf = Buffer.alloc(TAR_BLOCK);
  ustarInto(buf, 0, name, prefix, size, mtime, type);
  return buf;
}

const octal = (value: number, digits: number) => `${value.toString(8).padStart(digits, '0')} `;

function ustarInto(
  buf: Buffer,
  at: number,
  name: string,
  prefix: string,
  size: number,
  mtime: Date,
  type: number,
): void {
  const h = buf.subarray(at, at + TAR_BLOCK);
  h.write(name, 0);
  h.write(octal(0o600, 6), 100);
  h.write(octal(0, 6), 108);
  h.write(octal(0, 6), 116);
  writeNumber(h, size, 124);
  writeNumber(h, Math.floor(mtime.getTime() / 1000) || 0, 136);
  h[156] = 0x30 + type;
  h.write('ustar\u000000', 257, 'latin1');
  h.write(octal(0, 6), 329);
  h.write(octal(0, 6), 337);
  if (prefix) h.write(prefix, 345);
  let sum = 8 * 32;
  for (let i = 0; i < 148; i++) sum += h[i]!;
  for (let i = 156; i < TAR_BLOCK; i++) sum += h[i]!;
  h.write(octal(sum, 6), 148);
}

/** An 11-digit octal field, or base-256 when the number does not fit (as tar-stream writes it). */
function writeNumber(h: Buffer, value: number, at: number): void {
  if (value >= 0 && value.toString(8).length <= 11) {
    h.write(octal(value, 11), at);
    return;
  }
  h[at] = value < 0 ? 0xff : 0x80;
  let n = value;
  for (let i = 11; i > 0; i--) {
    h[at + i] = n & 0xff;
    n = Math.floor(n / 0x100);
  }
}

/** One pax record: `<length> key=value\n`, the length counting its own digits. */
function paxRecord(entry: string): Buffer {
  const body = ` ${entry}\n`;
  const len = Buffer.byteLength(body);
  let digits = String(len).length;
  if (len + digits >= 10 ** digits) digits++;
  return Buffer.from(`${len + digits}${body}`);
}
