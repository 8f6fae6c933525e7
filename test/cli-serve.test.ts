import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../src/testing/process.ts';
import { tempDir } from './cli-setup.ts';

const pgUrl = process.env.CLINICBOX_TEST_DATABASE_URL?.startsWith('postgres')
  ? process.env.CLINICBOX_TEST_DATABASE_URL
  : '';

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
