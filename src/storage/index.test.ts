import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configFrom } from '../config/index.ts';
import { createTestApp, testConfig } from '../testing/app.ts';
import { testKeys } from '../testing/keys.ts';
import { collect, repoRoot, tsxLoader } from '../testing/process.ts';
import { diskRoot, openBlobStore, openFileVault } from './index.ts';

/* Which store a config names, and the vault every app (and every test app) is built with. */

async function text(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts).toString();
}

describe('choosing the store', () => {
  it('puts file: in the data folder, and file:/a/folder or file:///a/folder where they say', () => {
    expect(diskRoot('file:', '/srv/clinic')).toBe('/srv/clinic/files');
    expect(diskRoot('file:/mnt/documents', '/srv/clinic')).toBe('/mnt/documents');
    expect(diskRoot('file:///mnt/documents', '/srv/clinic')).toBe('/mnt/documents');
    const config = configFrom({ dataDir: '/srv/clinic' });
    expect(openBlobStore(config).location).toBe('file:/srv/clinic/files');
    expect(openBlobStore({ ...config, storageUrl: 'file:/mnt/documents' }).location).toBe(
      'file:/mnt/documents',
    );
  });

  it('opens nothing on disk until a file is stored', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'clinicbox-storage-')), 'data');
    try {
      const vault = openFileVault(configFrom({ dataDir }), testKeys);
      expect(existsSync(dataDir)).toBe(false);
      const file = await vault.write(Readable.from([Buffer.from('a referral letter')]), {
        keyHint: 'documents/p1/d1',
        maxBytes: 1000,
      });
      expect(readdirSync(join(dataDir, 'files', 'documents', 'p1'))).toEqual([file.objectKey.split('/')[2]]);
      expect(await text(await vault.read(file))).toBe('a referral letter');
    } finally {
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
  });
});

describe('the app’s files', () => {
  it('a test app stores into its own folder, removed with it', async () => {
    const app = await createTestApp();
    const folder = app.filesPath!;
    try {
      expect(app.deps.files.store.location).toBe(`file:${folder}`);
      const file = await app.deps.files.write(Readable.from([Buffer.from('lab result')]), {
        keyHint: 'documents/p1/d1',
        maxBytes: 1000,
      });
      expect(existsSync(join(folder, ...file.objectKey.split('/')))).toBe(true);
      expect(await text(await app.deps.files.read(file))).toBe('lab result');
    } finally {
      await app.destroy();
    }
    expect(existsSync(folder)).toBe(false);
  });

  it('a store named in the test config is used as is; testConfig alone keeps files in a temp folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'clinicbox-named-'));
    const app = await createTestApp({ config: { storageUrl: `file:${folder}` } });
    try {
      expect(app.filesPath).toBeNull();
      expect(app.deps.files.store.location).toBe(`file:${folder}`);
    } finally {
      await app.destroy();
    }
    expect(existsSync(folder)).toBe(true);
    rmSync(folder, { recursive: true, force: true });
    expect(testConfig().storageUrl).toMatch(new RegExp(`^file:${tmpdir()}/clinicbox-test-files-`));
  });

  it('testConfig’s files folder goes when the test process ends', async () => {
    // Node with tsx's loader (an entry that is never bundled), to run the script below from source.
    const script = `
      import { writeFileSync } from 'node:fs';
      import { testConfig } from ${JSON.stringify(`${repoRoot}src/testing/app.ts`)};
      const folder = testConfig().storageUrl.slice('file:'.length);
      writeFileSync(folder + '/left-behind', 'x');
      console.log(folder);
    `;
    const child = spawn(process.execPath, [...tsxLoader, '--input-type=module', '-e', script], {
      cwd: repoRoot,
    });
    const done = await collect(child);
    expect(done.code, done.stderr).toBe(0);
    const folder = done.stdout.trim();
    expect(folder.startsWith(tmpdir())).toBe(true);
    expect(existsSync(folder)).toBe(false);
  });
});
