import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../src/testing/process.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'clinicbox-cli-'));
const pgUrl = process.env.CLINICBOX_TEST_DATABASE_URL?.startsWith('postgres')
  ? process.env.CLINICBOX_TEST_DATABASE_URL
  : '';

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

describe('clinicbox serve', () => {
  let pgDatabase = '';
  let admin: postgres.Sql | undefined;
  beforeAll(async () => {
    if (!pgUrl) return;
    admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
    pgDatabase = `cb_cli_${process.pid}_${Date.now()}`;
    await admin.unsafe(`create database ${pgDatabase}`);
  });
  afterAll(async () => {
    if (!admin) return;
    await admin.unsafe(`drop database if exists ${pgDatabase} with (force)`);
    await admin.end();
  });

  it('first run creates an owner-only data folder, serves, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const dbUrl = pgUrl ? pgUrl.replace(/\/[^/]*$/, `/${pgDatabase}`) : '';
    const { child, match, finished } = await startCli(
      [
        'serve',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--log-format',
        'json',
        ...(dbUrl ? ['--database-url', dbUrl] : []),
      ],
      /Open (http:\/\/127\.0\.0\.1:\d+)\//,
      { cwd: dir },
    );
    const base = match[1]!;
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const health = await fetch(`${base}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });

    child.kill('SIGTERM');
    const result = await finished;
    expect(result.code).toBe(0);
    const lines = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(result.stdout).toContain('/staff/setup?token='); // no admin yet: the one-time link, outside the JSON log
    // Which database serves is the operator's log's to say, not /readyz's.
    expect(lines.find((l) => /is running/.test(l.msg))).toMatchObject({
      data: dataDir,
      database: expect.stringMatching(dbUrl ? /^PostgreSQL / : /^SQLite /),
    });
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped' });
    if (!dbUrl) {
      const file = new Database(join(dataDir, 'clinicbox.db'), { readonly: true });
      expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
      file.close();
    }
  });
});

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
  });

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
  });
});

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
  });

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

describe('clinicbox demo', () => {
  it('seeds a realistic clinic without overlaps, prints how to sign in, and refuses a second run without --force', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = await runCli(['demo', '--data-dir', dataDir]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Sign in at {2}\/staff\/login as admin@demo\.clinicbox\.example/);
    expect(first.stdout).toMatch(/Password {4}demo-[\w-]{12}/);

    const file = new Database(join(dataDir, 'clinicbox.db'), { readonly: true });
    const one = (sql: string) => Object.values(file.prepare(sql).get() as object)[0] as number;
    expect(one("select count(*) from staff_accounts where role = 'practitioner'")).toBe(4);
    expect(one('select count(*) from services')).toBe(6);
    expect(one('select count(*) from patients')).toBe(200);
    expect(one("select count(*) from appointments where status = 'completed'")).toBeGreaterThan(300);
    expect(one("select count(*) from appointments where status = 'booked'")).toBeGreaterThan(300);
    // Never two live appointments of one practitioner at once, buffers included.
    expect(
      one(`select count(*) from appointments a join appointments b
             on a.practitioner_id = b.practitioner_id and a.id < b.id
            and a.block_start_at < b.block_end_at and b.block_start_at < a.block_end_at
          where a.status <> 'cancelled' and b.status <> 'cancelled'`),
    ).toBe(0);
    file.close();

    const again = await runCli(['demo', '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has data; use --force');
    const forced = await runCli(['demo', '--data-dir', dataDir, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
  }, 60_000);
});

describe('clinicbox doctor', () => {
  it('checks the installation and sends a test email and SMS through the real transports', async () => {
    const { startSmtpSink } = await import('../src/testing/peers/smtp-sink.ts');
    const { startSmsSink } = await import('../src/testing/peers/sms-sink.ts');
    const mail = await startSmtpSink();
    const sms = await startSmsSink();
    try {
      const dataDir = join(tempDir(), 'data');
      const ok = await runCli([
        'doctor',
        '--data-dir',
        dataDir,
        '--smtp-url',
        mail.url,
        '--sms-http-url',
        `${sms.url}/sms`,
        '--send-test-email',
        'admin@clinic.example',
        '--send-test-sms',
        '+33 6 12 34 56 78',
      ]);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/^ok\s+database\s+sqlite/m);
      expect(ok.stdout).toMatch(/^ok\s+test email\s+sent to admin@clinic\.example \(.+; delivery [\w-]+\)$/m);
      expect(ok.stdout).toMatch(/^ok\s+test SMS\s+sent to \+33612345678/m);
      expect(ok.stdout).toContain('all good');
      expect((await mail.waitFor(1))[0]!.subject).toMatch(/: test email$/); // the settings page's message
      expect(JSON.parse((await sms.waitFor(1))[0]!.body).to).toBe('+33612345678');
      // Both are in the delivery log, like the settings page's tests.
      const db = new Database(join(dataDir, 'clinicbox.db'), { readonly: true });
      try {
        const rows = db.prepare('select message_type, channel, status from deliveries').all();
        expect(rows.map((d: any) => [d.message_type, d.channel, d.status]).sort()).toEqual([
          ['test', 'email', 'sent'],
          ['test', 'sms', 'sent'],
        ]);
      } finally {
        db.close();
      }

      const bad = await runCli([
        'doctor',
        '--data-dir',
        dataDir,
        '--smtp-url',
        'smtp://127.0.0.1:1',
        '--send-test-email',
        'admin@clinic.example',
      ]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/^PROBLEM\s+test email\s+could not reach the mail server/m);
    } finally {
      await mail.stop();
      await sms.stop();
    }
  }, 60_000);
});
