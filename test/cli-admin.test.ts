import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../src/testing/process.ts';
import { tempDir } from './cli-setup.ts';

describe('clinicbox admin create', () => {
  it('creates staff with a password from stdin, or prints a one-time set-password link', async () => {
    const dataDir = join(tempDir(), 'data');
    const withPassword = await runCli(
      [
        'admin',
        'create',
        '--email',
        'Ada@Clinic.example',
        '--name',
        'Ada Admin',
        '--password-stdin',
        '--data-dir',
        dataDir,
      ],
      { input: 'purple tractor sings softly\n' },
    );
    expect(withPassword.stderr).toBe('');
    expect(withPassword.stdout).toContain('created admin ada@clinic.example');
    expect(withPassword.stdout).not.toContain('set-password');
    const createBo = ['admin', 'create', '--email', 'bo@clinic.example', '--name', 'Bo'];
    const link = await runCli([
      ...createBo,
      '--role',
      'reception',
      '--base-url',
      'https://clinic.example',
      '--data-dir',
      dataDir,
    ]);
    expect(link.stdout).toContain('created reception bo@clinic.example');
    expect(link.stdout).toMatch(/https:\/\/clinic\.example\/staff\/set-password\?token=[\w-]{43}/);
    const again = await runCli([...createBo, '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    const weak = await runCli(
      [
        'admin',
        'create',
        '--email',
        'cy@clinic.example',
        '--name',
        'Cy',
        '--password-stdin',
        '--data-dir',
        dataDir,
      ],
      { input: 'password1234' },
    );
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('too common');
    expect((await runCli(['admin', 'create', '--name', 'Nobody', '--data-dir', dataDir])).code).toBe(2);
    const file = new Database(join(dataDir, 'clinicbox.db'), { readonly: true });
    const rows = file
      .prepare(
        'select email, role, password_hash is not null as has_password from staff_accounts order by email',
      )
      .all();
    file.close();
    expect(rows).toEqual([
      { email: 'ada@clinic.example', role: 'admin', has_password: 1 },
      { email: 'bo@clinic.example', role: 'reception', has_password: 0 },
    ]);
  }, 60_000); // five runs of the command, each a new Node process

  it('serve prints a one-time setup link while no admin exists', async () => {
    const dir = tempDir();
    const { child, match, finished } = await startCli(
      ['serve', '--port', '0', '--data-dir', join(dir, 'data')],
      /(http:\/\/127\.0\.0\.1:\d+\/staff\/setup\?token=[\w-]{43})/,
      { cwd: dir },
    );
    const page = await fetch(match[1]!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Create the first administrator');
    child.kill('SIGTERM');
    expect((await finished).code).toBe(0);
  });
});
