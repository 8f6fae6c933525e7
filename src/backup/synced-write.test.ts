import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeSynced } from './synced-write.ts';

describe('writeSynced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synced-write-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const chunks = async function* (n: number, size: number) {
    for (let i = 0; i < n; i++) yield Buffer.alloc(size, i);
  };

  it('syncs while it writes (every 64 MB), then once at the end, and answers the bytes written', async () => {
    const file = await open(join(dir, 'big'), 'wx', 0o600);
    const datasync = vi.spyOn(file, 'datasync');
    const sync = vi.spyOn(file, 'sync');
    try {
      expect(await writeSynced(file, chunks(40, 4 << 20))).toBe(160 << 20);
    } finally {
      await file.close();
    }
    expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(sync).toHaveBeenCalledTimes(1);
    const written = readFileSync(join(dir, 'big'));
    expect(written.length).toBe(160 << 20);
    expect(written[(4 << 20) * 39]).toBe(39);
  });

  it('fails when a sync on the way fails, and leaves no sync running', async () => {
    const file = await open(join(dir, 'failing'), 'wx', 0o600);
    vi.spyOn(file, 'datasync').mockRejectedValue(new Error('EIO: the disk said no'));
    try {
      await expect(writeSynced(file, chunks(40, 4 << 20))).rejects.toThrow('EIO: the disk said no');
    } finally {
      await file.close();
    }
  });
});
