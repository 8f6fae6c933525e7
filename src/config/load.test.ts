import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envName, formatHelp, loadOptions, UsageError } from './load.ts';
import { boolOption, dataOptions, serverOptions } from './options.ts';

const table = { ...dataOptions, ...serverOptions, worker: boolOption('worker', true, 'Run the worker.') };
const load = (argv: string[], env: Record<string, string> = {}) => loadOptions('serve', table, argv, env);

function configFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cb-config-')), 'clinicbox.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('loading options', () => {
  it('uses the documented defaults', () => {
    const { values } = load([]);
    expect(values).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: './data',
      databaseUrl: '',
      sqliteSynchronous: 'full',
    });
    expect(values.worker).toBe(true);
    expect(Object.isFrozen(values)).toBe(true);
  });

  it('keeps --base-url without a trailing slash, so links never get "//"', () => {
    expect(load(['--base-url', 'https://clinic.example/']).values.baseUrl).toBe('https://clinic.example');
    expect(load([], { CLINICBOX_BASE_URL: 'https://clinic.example/portal//' }).values.baseUrl).toBe(
      'https://clinic.example/portal',
    );
  });

  it('layers flag > env > config file > default', () => {
    const file = configFile({ port: 7000, host: '0.0.0.0', 'log-level': 'warn' });
    const env = { CLINICBOX_PORT: '7100', CLINICBOX_HOST: '10.0.0.1', CLINICBOX_CONFIG: file };
    expect(load([], { CLINICBOX_CONFIG: file })).toMatchObject({
      values: { port: 7000, host: '0.0.0.0', logLevel: 'warn' },
    });
    expect(load([], env).values).toMatchObject({ port: 7100, host: '10.0.0.1', logLevel: 'warn' });
    expect(load(['--port', '7200', '--config', file], env).values).toMatchObject({
      port: 7200,
      host: '10.0.0.1',
    });
    expect(load(['--port=7300'], env).values.port).toBe(7300);
  });

  it('takes --flag, --no-flag and env booleans', () => {
    expect(load(['--no-worker']).values.worker).toBe(false);
    expect(load(['--worker'], { CLINICBOX_WORKER: 'false' }).values.worker).toBe(true);
    expect(load([], { CLINICBOX_WORKER: '0' }).values.worker).toBe(false);
  });

  it('rejects an unknown flag with one line naming it', () => {
    expect(() => load(['--prot', '80'])).toThrow(
      new UsageError('serve: unknown flag --prot (see: clinicbox serve --help)'),
    );
  });

  it('rejects a bad value naming the flag and what it accepts', () => {
    expect(() => load(['--port', 'eighty'])).toThrow(
      '--port: expected a port number 0–65535 (0 = any free port), got "eighty"',
    );
    expect(() => load([], { CLINICBOX_PORT: '70000' })).toThrow(/^CLINICBOX_PORT: expected a port number/);
    expect(() => load(['--database-url', 'mysql://x'])).toThrow(/--database-url: expected empty \(SQLite/);
    expect(() => load(['--log-format', 'xml'])).toThrow('--log-format: expected json or pretty, got "xml"');
    expect(() => load(['--port'])).toThrow(
      '--port: missing value; expected a port number 0–65535 (0 = any free port)',
    );
  });

  it('rejects a broken or unknown config file', () => {
    expect(() => load(['--config', configFile('{nope')])).toThrow(/--config: cannot read .* as JSON/);
    expect(() => load(['--config', configFile({ colour: 'blue' })])).toThrow(/unknown setting "colour"/);
    expect(() => load(['--config', configFile({ port: 'x' })])).toThrow(/port in .*: expected a port number/);
  });

  it('reads an empty, blank, null or boolean number as a bad value, not as 0 or 1', () => {
    expect(() => load(['--port='])).toThrow(
      '--port: expected a port number 0–65535 (0 = any free port), got ""',
    );
    expect(() => load(['--port', ' '])).toThrow(/^--port: expected a port number/);
    expect(() => load(['--shutdown-grace='])).toThrow(/^--shutdown-grace: expected seconds/);
    expect(() => load(['--port', '80.5'])).toThrow(/^--port: expected/);
    expect(() => load(['--config', configFile({ port: null })])).toThrow(
      /port in .*: expected a port number/,
    );
    expect(() => load(['--config', configFile({ port: true })])).toThrow(
      /port in .*: expected a port number/,
    );
    expect(load(['--config', configFile({ port: 8090, 'shutdown-grace': 2.5 })]).values).toMatchObject({
      port: 8090,
      shutdownGrace: 2.5,
    });
    expect(load([], { CLINICBOX_PORT: ' 8091 ' }).values.port).toBe(8091);
  });

  it('shares one config file between commands: settings of other commands are skipped, not refused', () => {
    const file = configFile({ port: 7000, 'data-dir': '/srv/clinic', 'worker-concurrency': 8 });
    const migrateTable = { ...dataOptions };
    const all = new Set(['port', 'data-dir', 'worker-concurrency', 'config']);
    expect(loadOptions('migrate', migrateTable, ['--config', file], {}, all).values.dataDir).toBe(
      '/srv/clinic',
    );
    expect(() => loadOptions('migrate', migrateTable, ['--config', file], {}, new Set())).toThrow(
      /unknown setting "port"/,
    );
  });

  it('shows help even when a setting from the environment is bad', () => {
    expect(load(['--help'], { CLINICBOX_PORT: 'eighty' }).help).toBe(true);
    expect(() => load([], { CLINICBOX_PORT: 'eighty' })).toThrow(/^CLINICBOX_PORT/);
  });

  it('documents every flag with its env twin and default', () => {
    const help = formatHelp('serve', 'Run it.', table);
    for (const spec of Object.values(table)) {
      expect(help).toContain(spec.boolean ? `--[no-]${spec.flag}` : `--${spec.flag} `);
      expect(help).toContain(`env ${envName(spec.flag)}; default `);
    }
    expect(help).toContain('env CLINICBOX_PORT; default 8080');
  });
});
