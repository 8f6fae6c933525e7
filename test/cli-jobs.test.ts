import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/testing/process.ts';
import { tempDir } from './cli-setup.ts';

describe('clinicbox jobs', () => {
  it('shows stats with the backlog, lists by name, shows, retries dead (skipping a taken key) and cancels', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    expect((await runCli(['migrate', '--data-dir', dataDir])).code).toBe(0);
    const file = new Database(join(dataDir, 'clinicbox.db'));
    const insert = file.prepare(
      'insert into jobs (name, payload, status, run_at, attempts, max_attempts, last_error, unique_key, created_at, finished_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const now = Date.now();
    const dead = (name: string, payload: string, key: string | null) =>
      insert.run(
        name,
        payload,
        'dead',
        now - 60_000,
        5,
        5,
        'SMTP 550 mailbox unavailable',
        key,
        now - 60_000,
        now,
      );
    dead('mail.send-code', '{"patientId":"p1"}', null); // 1
    insert.run(
      'reminders.send',
      '{"appointmentId":"a1"}',
      'queued',
      now + 3_600_000,
      0,
      5,
      null,
      null,
      now,
      null,
    ); // 2
    dead('mail.send-code', '{"patientId":"p2"}', 'code:p2'); // 3: its key is taken by 4
    insert.run(
      'mail.send-code',
      '{"patientId":"p2"}',
      'queued',
      now - 600_000,
      0,
      5,
      null,
      'code:p2',
      now,
      null,
    ); // 4: due 10 min ago
    dead('reminders.send', '{"appointmentId":"a9"}', 'reminder:a9'); // 5
    file.close();
    const run = (...args: string[]) => runCli(['jobs', ...args, '--data-dir', dataDir]);

    const stats = await run('stats');
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/queued\s+2\n.*running\s+0\n.*succeeded\s+0\n.*dead\s+3/s);
    expect(stats.stdout).toMatch(/^oldest due job waiting: 6\d\d s$/m);
    expect(stats.stdout).toMatch(/^BACKLOG: due jobs have waited over 300 s — is a worker running\?$/m);
    const list = await run('list', '--status', 'dead');
    expect(list.stdout).toMatch(/^id\s+name\s+status/);
    expect(list.stdout).toContain('mail.send-code');
    expect(list.stdout).not.toMatch(/^2\s/m);
    const byName = JSON.parse((await run('list', '--name', 'reminders.send', '--json')).stdout) as {
      id: number;
    }[];
    expect(byName.map((j) => j.id)).toEqual([5, 2]);
    const shown = JSON.parse((await run('show', '1', '--json')).stdout);
    expect(shown).toMatchObject({
      id: 1,
      status: 'dead',
      lastError: 'SMTP 550 mailbox unavailable',
      payload: { patientId: 'p1' },
    });

    const taken = await run('retry', '3');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(
      'jobs retry: job 3 not queued again: a job with the same key is already waiting',
    );
    expect((await run('retry', '1')).stdout).toContain('job 1 queued again');
    expect((await run('retry', '1')).code).toBe(1); // no longer dead
    expect((await run('cancel', '2')).stdout).toContain('job 2 cancelled');
    const all = await run('retry', '--all-dead');
    expect(all.code).toBe(0);
    expect(all.stdout).toContain(
      'queued 1 dead job again; skipped 1: a job with the same key is already waiting',
    );
    const after = JSON.parse((await run('stats', '--json')).stdout);
    expect(after.counts).toMatchObject({ queued: 3, dead: 1, cancelled: 1 });
    expect(after.backlog).toBe(true);
    expect((await run('retry', '--all-dead')).stdout).toContain('queued 0 dead jobs again; skipped 1');
  }, 60_000); // twelve runs of the command, each a new Node process

  it('rejects a missing or malformed job id and an unknown subcommand with exit 2', async () => {
    const dataDir = join(tempDir(), 'data');
    expect((await runCli(['jobs', 'show', '--data-dir', dataDir])).code).toBe(2);
    const bad = await runCli(['jobs', 'cancel', 'abc', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('jobs cancel: expected a job id (a whole number), got "abc"');
    expect((await runCli(['jobs', 'explode', '--data-dir', dataDir])).code).toBe(2);
    expect((await runCli(['jobs', 'list', '--status', 'sleeping', '--data-dir', dataDir])).stderr).toMatch(
      /--status: expected queued, running/,
    );
    // A whole number as written: not '1e2', '0x10' or a bare flag read as 1.
    for (const limit of ['1e2', '0x10', '0', '10001']) {
      const refused = await runCli(['jobs', 'list', '--limit', limit, '--data-dir', dataDir]);
      expect(refused.code, limit).toBe(2);
      expect(refused.stderr).toContain('--limit');
    }
  });
});
