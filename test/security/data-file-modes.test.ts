import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../src/testing/process.ts';

/*
 * The data folder holds every patient's record. The review found the database and its -wal and
 * -shm files created 0644 (readable by every account on the machine) and a fresh clone's data/
 * left 0755 as git made it. Now the files are 0600 and the folder 0700 from the first start, and
 * `clinicbox doctor` names what is open to others and how to close it.
 */
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);
const databaseFiles = ['clinicbox.db', 'clinicbox.db-wal', 'clinicbox.db-shm'];
const skipOnWindows = process.platform === 'win32'; // no owner/group/other modes there

describe.skipIf(skipOnWindows)('the data folder’s permissions', () => {
  const tempDir = () => mkdtempSync(join(tmpdir(), 'clinicbox-modes-'));
  /** Starts `clinicbox serve` on `dataDir` (under Node, or Bun as the binary), runs `check`, stops it. */
  const whileServing = async (dataDir: string, check: () => void, runtime: 'node' | 'bun' = 'node') => {
    const args = ['serve', '--port', '0', '--data-dir', dataDir];
    const { child, finished } = await startCli(args, /Open http/, { timeoutMs: 60_000, runtime });
    try {
      check();
    } finally {
      child.kill('SIGTERM');
      await finished;
    }
  };

  it.each(['node', 'bun'] as const)(
    'serve under %s makes a new data folder 0700 and the database, -wal and -shm 0600',
    async (runtime) => {
      const dataDir = join(tempDir(), 'data');
      await whileServing(
        dataDir,
        () => {
          expect(modeOf(dataDir)).toBe('700');
          for (const file of databaseFiles)
            expect([file, modeOf(join(dataDir, file))]).toEqual([file, '600']);
        },
        runtime,
      );
      // Whatever else the first start wrote in it is the owner's alone too.
      for (const entry of readdirSync(dataDir, { recursive: true, encoding: 'utf8' })) {
        const path = join(dataDir, entry);
        expect([entry, modeOf(path)]).toEqual([entry, statSync(path).isDirectory() ? '700' : '600']);
      }
    },
    90_000,
  );

  it('serve closes a data folder git made 0755 (a fresh clone) to its owner', async () => {
    const dataDir = join(tempDir(), 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    await whileServing(dataDir, () => {
      expect(modeOf(dataDir)).toBe('700');
      expect(modeOf(join(dataDir, 'clinicbox.db'))).toBe('600');
    });
  }, 90_000);

  it('doctor flags a 0755 folder and 0644 database files, says how to fix them, and changes nothing', async () => {
    const dataDir = join(tempDir(), 'data');
    expect((await runCli(['migrate', '--data-dir', dataDir])).code).toBe(0);
    // As an older Clinicbox or a copy with the wrong umask left them.
    chmodSync(dataDir, 0o755);
    const present = databaseFiles.filter((f) => existsSync(join(dataDir, f)));
    expect(present).toContain('clinicbox.db');
    for (const file of present) chmodSync(join(dataDir, file), 0o644);

    const doctor = await runCli(['doctor', '--data-dir', dataDir]);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      new RegExp(
        `^PROBLEM\\s+data folder\\s+${dataDir} \\(mode 755: others can read it; run chmod 700 ${dataDir}\\)$`,
        'm',
      ),
    );
    expect(doctor.stdout).toMatch(
      /^PROBLEM\s+data files\s+.*clinicbox\.db.* open to others; run chmod 600 /m,
    );
    expect(doctor.stdout).toContain(`chmod 600 ${join(dataDir, 'clinicbox.db')}`);
    expect(doctor.stdout).toMatch(/to look at: .*data folder, data files/);
    // A check, not a fix: the modes are as doctor found them.
    expect(modeOf(dataDir)).toBe('755');
    expect(modeOf(join(dataDir, 'clinicbox.db'))).toBe('644');

    // Fixed as it says: all good on those lines.
    chmodSync(dataDir, 0o700);
    for (const file of databaseFiles.filter((f) => existsSync(join(dataDir, f)))) {
      chmodSync(join(dataDir, file), 0o600);
    }
    const again = await runCli(['doctor', '--data-dir', dataDir]);
    expect(again.stdout).toMatch(/^ok\s+data folder\s+/m);
    expect(again.stdout).toMatch(/^ok\s+data files\s+/m);
  }, 90_000);
});
