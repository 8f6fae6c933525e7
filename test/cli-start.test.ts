import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../src/testing/process.ts';

// How the command line behaves around starting: a config file shared by commands, and the mistakes an admin makes when starting the server (exit 2 or 1, one line).
const tempDir = () => mkdtempSync(join(tmpdir(), 'clinicbox-start-'));
const oneLine = (stderr: string) => stderr.trim().split('\n');

describe('starting clinicbox', () => {
  it('one config file serves every command: migrate skips the settings only serve takes', async () => {
    const dir = tempDir();
    const config = join(dir, 'clinicbox.json');
    writeFileSync(
      config,
      JSON.stringify({ 'data-dir': join(dir, 'data'), port: 9000, 'worker-concurrency': 2 }),
    );
    const migrated = await runCli(['migrate', '--config', config], { cwd: dir });
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/applied 0000_init/);
    // An env twin of another command's flag does not disturb this one.
    const listed = await runCli(['migrate', '--list'], {
      cwd: dir,
      env: { CLINICBOX_CONFIG: config, CLINICBOX_STATUS: 'dead', CLINICBOX_NAME: 'x' },
    });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/pending: \(none\)/);
    writeFileSync(config, JSON.stringify({ colour: 'blue' }));
    const bad = await runCli(['migrate', '--config', config], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr)).toEqual([`clinicbox: --config: unknown setting "colour" in ${config}`]);
  }, 60_000);

  it('serve refuses a database from a newer Clinicbox and changes nothing', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    expect((await runCli(['migrate', '--data-dir', dataDir], { cwd: dir })).code).toBe(0);
    const file = new Database(join(dataDir, 'clinicbox.db'));
    file.prepare("insert into clinicbox_migrations (name, applied_at) values ('9999_future', 0)").run();
    file.close();
    const refused = await runCli(['serve', '--port', '0', '--data-dir', dataDir], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/newer Clinicbox .*9999_future/);
    expect(refused.stdout).not.toMatch(/Open http/);
  }, 30_000);

  it('an unreadable certificate exits 2 with one line before anything starts', async () => {
    const dir = tempDir();
    const result = await runCli(
      [
        'serve',
        '--port',
        '0',
        '--data-dir',
        join(dir, 'data'),
        '--tls-cert',
        '/nope.pem',
        '--tls-key',
        '/nope.key',
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toEqual(['clinicbox: --tls-cert: cannot read /nope.pem (ENOENT)']);
  }, 30_000);

  it('a port in use exits 1 with one line, no stack trace', async () => {
    const dir = tempDir();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runCli(
        ['serve', '--port', String(port), '--data-dir', join(dir, 'data'), '--log-level', 'error'],
        { cwd: dir },
      );
      expect(result.code).toBe(1);
      expect(oneLine(result.stderr)).toEqual([
        `clinicbox: cannot listen on 127.0.0.1:${port}: the port is in use`,
      ]);
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('on every interface it prints a URL a browser can open', async () => {
    const dir = tempDir();
    const { child, match, finished } = await startCli(
      ['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', join(dir, 'data'), '--no-worker'],
      /Open (http:\/\/localhost:\d+)\//,
      { cwd: dir },
    );
    const health = await fetch(`${match[1]}/healthz`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect((await finished).code).toBe(0);
  }, 30_000);

  it('SIGTERM while the server is still starting stops it cleanly once started', async () => {
    const dir = tempDir();
    // The first log line comes before the migrations: the signal lands while the server starts.
    const { child, finished } = await startCli(
      ['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--log-format', 'json'],
      /\{/,
      { cwd: dir },
    );
    child.kill('SIGTERM');
    const result = await finished;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/"msg":"stopped"/);
  }, 30_000);
});
