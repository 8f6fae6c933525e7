import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/testing/process.ts';
import { tempDir } from './cli-setup.ts';

describe('the clinicbox command line', () => {
  it('--help lists the commands; <command> --help lists every flag with env twin and default', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/serve .*\(default\)/);
    expect(top.stdout).toContain('migrate');
    expect(top.stdout).toContain('version');
    const serve = await runCli(['serve', '--help']);
    expect(serve.code).toBe(0);
    for (const flag of [
      'port',
      'host',
      'data-dir',
      'database-url',
      'base-url',
      'tls-cert',
      'tls-key',
      'log-level',
      'log-format',
      'shutdown-grace',
      'config',
    ]) {
      expect(serve.stdout).toContain(`--${flag} `);
    }
    expect(serve.stdout).toContain('env CLINICBOX_PORT; default 8080');
    expect(serve.stdout).toContain('env CLINICBOX_HOST; default "127.0.0.1"');
  });

  it('exits 2 with one line naming an unknown flag, a bad value or an unknown command', async () => {
    const unknown = await runCli(['serve', '--prot', '80']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toEqual([
      'clinicbox: serve: unknown flag --prot (see: clinicbox serve --help)',
    ]);
    const bad = await runCli(['--port', 'eighty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'clinicbox: --port: expected a port number 0–65535 (0 = any free port), got "eighty"',
    );
    const badEnv = await runCli(['migrate'], { env: { CLINICBOX_LOG_LEVEL: 'loud' } });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr.trim()).toBe(
      'clinicbox: CLINICBOX_LOG_LEVEL: expected debug, info, warn or error, got "loud"',
    );
    const cmd = await runCli(['frobnicate']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('version prints the version and runtime', async () => {
    const v = await runCli(['version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^clinicbox \d+\.\d+\.\d+ \(node /);
  });

  it('migrate applies, then reports up to date, then refuses a database from a newer version', async () => {
    const dir = tempDir();
    const args = ['migrate', '--data-dir', join(dir, 'data')];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied 0000_/);
    expect((await runCli(args)).stdout).toContain('the database is up to date');
    const file = new Database(join(dir, 'data', 'clinicbox.db'));
    file.prepare("insert into clinicbox_migrations (name, applied_at) values ('9999_future', 0)").run();
    file.close();
    const refused = await runCli(args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/newer Clinicbox .*9999_future/);
  });
});
