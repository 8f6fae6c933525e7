import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.ts';
import { until } from '../wait.ts';
import { installed } from './installed.ts';

/**
 * Debian's PgBouncer in transaction mode in front of the local PostgreSQL server (127.0.0.1:5432),
 * every database passed through as the `postgres` user. It refuses to run as root, so it runs
 * as `postgres` (`-u`), with no log or pid file.
 */
export interface PgBouncerPeer {
  /** The pooled URL of `database` (through PgBouncer). */
  url(database: string): string;
  stop(): Promise<void>;
}

/** Is PgBouncer installed (Debian's `pgbouncer` package)? */
export const havePgBouncer = (): boolean => installed('pgbouncer', '--version');

export async function startPgBouncer(): Promise<PgBouncerPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'clinicbox-pgbouncer-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      '* = host=127.0.0.1 port=5432 user=postgres',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'auth_type = any',
      'pool_mode = transaction',
      'max_client_conn = 200',
      'default_pool_size = 10',
      'ignore_startup_parameters = extra_float_digits,options',
      'logfile =',
      'pidfile =',
      `unix_socket_dir = ${dir}`,
      '',
    ].join('\n'),
  );
  chmodSync(ini, 0o644);
  const output: string[] = [];
  const child: ChildProcess = spawn('pgbouncer', ['-u', 'postgres', ini], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => output.push(String(d)));
  child.stderr?.on('data', (d) => output.push(String(d)));
  const accepts = () =>
    new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
  try {
    await until('pgbouncer listening', accepts, 10_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${output.join('')}`);
  }
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
