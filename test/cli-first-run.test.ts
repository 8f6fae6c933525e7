import { cpSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, startCli } from '../src/testing/process.ts';
import { tempDir } from './cli-setup.ts';

/*
 * Issue 15, items 21 and 22: what a newcomer sees at first run from a clone. The server names the
 * staff sign-in and the patient app apart (`/` opens the patient app), hints name the command as
 * it is run from source, a missing patient app build is said at start, the demo prints where to
 * sign in in full, and the demo clinic keeps London time.
 */
describe('first run from source', () => {
  it('--help names the default command once', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    const commands = help.stdout.split('Commands:\n')[1]!.split('\n\n')[0]!;
    expect(commands.match(/default/g)).toEqual(['default']);
    expect(commands).toMatch(/^ {2}serve .*job worker\. \(default\)$/m);
  });

  it('serve prints the staff sign-in and the patient app apart, and hints `npm start -- admin create`', async () => {
    const dir = tempDir();
    const { child, match, finished } = await startCli(
      ['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--no-worker'],
      /Open (http:\/\/127\.0\.0\.1:\d+)\/staff\/login to sign in \(staff\); the patient app is (\S+)/,
      { cwd: dir, timeoutMs: 60_000 },
    );
    const base = match[1]!;
    expect(match[2]).toBe(`${base}/app/`);
    const signIn = await fetch(`${base}/staff/login`);
    expect(signIn.status).toBe(200);
    expect(await signIn.text()).toContain('Sign in');
    child.kill('SIGTERM');
    const result = await finished;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'or run: npm start -- admin create --email you@clinic.example --name "Your Name" --role admin',
    );
    expect(result.stdout).not.toContain('clinicbox admin create');
  }, 90_000);

  it('serve from a clone without the built patient app says so and how to build it', async () => {
    // A copy of the sources without dist/ (the checkout's node_modules linked in).
    const clone = tempDir();
    for (const part of ['src', 'views', 'static', 'package.json', 'tsconfig.json']) {
      cpSync(join(repoRoot, part), join(clone, part), { recursive: true });
    }
    symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
    const { child, match, finished } = await startCli(
      ['serve', '--port', '0', '--data-dir', join(clone, 'data'), '--no-worker'],
      /Open (http:\/\/127\.0\.0\.1:\d+)\//,
      {
        cwd: clone,
        timeoutMs: 60_000,
        entry: relative(repoRoot, join(clone, 'src/main.ts')),
        env: { TSX_TSCONFIG_PATH: join(clone, 'tsconfig.json') },
      },
    );
    const base = match[1]!;
    expect((await fetch(`${base}/app/`)).status).toBe(404);
    child.kill('SIGTERM');
    const result = await finished;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `the patient app is not built, so ${base}/app/ answers 404: build it with \`npm run build -- --pwa-only\``,
    );
  }, 90_000);

  it('demo: a London clinic (en-GB, E.164 phones) whatever the machine’s zone, appointments in working hours, the full sign-in URL', async () => {
    const dataDir = join(tempDir(), 'data');
    const demo = await runCli(['demo', '--data-dir', dataDir], { env: { TZ: 'America/New_York' } });
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(
      /^Sign in at {2}http:\/\/127\.0\.0\.1:8080\/staff\/login as admin@demo\.clinicbox\.example \(admin\)$/m,
    );
    expect(demo.stdout).toContain(`Start it:   npm start -- serve --data-dir ${dataDir}`);

    const file = new Database(join(dataDir, 'clinicbox.db'), { readonly: true });
    try {
      const clinic = JSON.parse(
        (file.prepare("select value from settings where key = 'clinic'").get() as { value: string }).value,
      );
      expect(clinic).toMatchObject({ timeZone: 'Europe/London', locale: 'en-GB' });
      const phones = file.prepare('select phone from patients').all() as { phone: string }[];
      expect(phones.length).toBe(200);
      for (const { phone } of phones) expect(phone).toMatch(/^\+447700900\d{3}$/);
      // Every appointment within the demo practitioners' hours (08:00–19:00), London time.
      const rows = file.prepare('select start_at, end_at from appointments').all() as {
        start_at: number;
        end_at: number;
      }[];
      expect(rows.length).toBeGreaterThan(600);
      const outside = rows.filter((r) => {
        const start = DateTime.fromMillis(Number(r.start_at), { zone: 'Europe/London' });
        const end = DateTime.fromMillis(Number(r.end_at), { zone: 'Europe/London' });
        const minutes = (t: DateTime) => t.hour * 60 + t.minute;
        return minutes(start) < 8 * 60 || minutes(end) > 19 * 60 || start.weekday > 5;
      });
      expect(outside).toEqual([]);
    } finally {
      file.close();
    }
  }, 90_000);
});
