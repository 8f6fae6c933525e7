import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { TAR_END_SIZE, tarHeader, tarPadding } from './tar-header.ts';

/** What tar-stream's pack writes for these parts (mode 0600, the writer's headers before). */
async function packed(parts: { name: string; body: Buffer; mtime: Date }[]): Promise<Buffer> {
  const pack = tar.pack();
  const out: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack as AsyncIterable<Buffer>) out.push(c);
  })();
  for (const p of parts) {
    await new Promise<void>((resolve, reject) =>
      pack.entry(
        { name: p.name, size: p.body.length, mtime: p.mtime, mode: 0o600, type: 'file' },
        p.body,
        (e) => (e ? reject(e) : resolve()),
      ),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(out);
}

describe('tar framing of the archive', () => {
  it('writes the bytes tar-stream writes: short and long names (split into prefix, or in a pax header), sizes at block edges', async () => {
    const mtime = new Date('2026-12-06T08:00:00.123Z');
    const parts = [
      { name: 'db/clinicbox.sqlite', body: Buffer.alloc(1000, 1), mtime },
      { name: `files/${'a'.repeat(90)}/${'b'.repeat(90)}`, body: Buffer.alloc(512, 2), mtime },
      { name: `files/${'c'.repeat(150)}`, body: Buffer.alloc(513, 3), mtime },
      { name: `files/${'d/'.repeat(200)}e`, body: Buffer.alloc(0), mtime },
      { name: 'manifest.json', body: Buffer.from('{}\n'), mtime: new Date(0) },
    ];
    const ours = Buffer.concat([
      ...parts.flatMap((p) => [
        tarHeader(p.name, p.body.length, p.mtime),
        p.body,
        Buffer.alloc(tarPadding(p.body.length)),
      ]),
      Buffer.alloc(TAR_END_SIZE),
    ]);
    expect(ours.equals(await packed(parts))).toBe(true);
  });
});
