import { readFileSync } from 'node:fs';
import type { OptionSpec, OptionTable, ValuesOf } from './options.ts';

/** A usage error: main prints its one line and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const envName = (flag: string) => `CLINICBOX_${flag.toUpperCase().replaceAll('-', '_')}`;

export interface ParsedArgs<T extends OptionTable> {
  values: ValuesOf<T>;
  positionals: string[];
  help: boolean;
}

/**
 * Parses argv for one command and layers flag > env > config file > default, validating each
 * value with its schema. Any unknown flag or bad value throws a UsageError naming the flag and
 * what it accepts. The returned values are frozen.
 */
export function loadOptions<T extends OptionTable>(
  command: string,
  table: T,
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
  /** Every flag any command takes: a shared config file may hold them; this command skips them. */
  allFlags: ReadonlySet<string> = new Set(),
): ParsedArgs<T> {
  const byFlag = new Map<string, [keyof T & string, OptionSpec]>();
  for (const [key, spec] of Object.entries(table)) byFlag.set(spec.flag, [key, spec]);

  const fromFlags = new Map<string, unknown>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    let name = eq >= 0 ? body.slice(0, eq) : body;
    let value: unknown = eq >= 0 ? body.slice(eq + 1) : undefined;
    let entry = byFlag.get(name);
    if (!entry && name.startsWith('no-') && byFlag.get(name.slice(3))?.[1].boolean && value === undefined) {
      name = name.slice(3);
      entry = byFlag.get(name);
      value = false;
    }
    if (!entry) throw new UsageError(`${command}: unknown flag --${name} (see: clinicbox ${command} --help)`);
    const [key, spec] = entry;
    if (value === undefined) {
      if (spec.boolean) value = true;
      else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i];
      else throw new UsageError(`--${name}: missing value; expected ${spec.accepts}`);
    }
    fromFlags.set(key, value);
  }

  // Help needs no valid settings: a bad env value must not hide it.
  if (help) return { values: Object.freeze({}) as ValuesOf<T>, positionals, help };

  const configKey = Object.keys(table).find((k) => table[k]!.flag === 'config');
  const configPath = configKey
    ? String(fromFlags.get(configKey) ?? env[envName('config')] ?? table[configKey]!.default)
    : '';
  const fromFile = configPath ? readConfigFile(configPath, table, allFlags) : new Map<string, unknown>();

  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const envValue = env[envName(spec.flag)];
    let raw: unknown;
    let source: string;
    if (fromFlags.has(key)) [raw, source] = [fromFlags.get(key), `--${spec.flag}`];
    else if (envValue !== undefined && envValue !== '') [raw, source] = [envValue, envName(spec.flag)];
    else if (fromFile.has(key)) [raw, source] = [fromFile.get(key), `${spec.flag} in ${configPath}`];
    else [raw, source] = [spec.default, ''];
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      throw new UsageError(
        `${source || `--${spec.flag}`}: expected ${spec.accepts}, got ${JSON.stringify(raw)}`,
      );
    }
    values[key] = parsed.data;
  }
  return { values: Object.freeze(values) as ValuesOf<T>, positionals, help };
}

function readConfigFile(
  path: string,
  table: OptionTable,
  allFlags: ReadonlySet<string>,
): Map<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--config: cannot read ${path} as JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--config: ${path} must hold a JSON object of flag names to values`);
  }
  const out = new Map<string, unknown>();
  for (const [name, value] of Object.entries(parsed)) {
    const key = Object.keys(table).find((k) => table[k]!.flag === name || k === name);
    if (key) out.set(key, value);
    else if (!allFlags.has(name)) throw new UsageError(`--config: unknown setting "${name}" in ${path}`);
  }
  return out;
}

/** The help text of one command: usage, summary and every flag with its env twin and default. */
export function formatHelp(command: string, summary: string, table: OptionTable, usage?: string): string {
  const lines = [`Usage: ${usage ?? `clinicbox ${command} [flags]`}`, '', summary, '', 'Flags:'];
  for (const spec of Object.values(table)) {
    const name = spec.boolean ? `--[no-]${spec.flag}` : `--${spec.flag} <${spec.metavar ?? 'value'}>`;
    const def = spec.default === '' ? '(empty)' : JSON.stringify(spec.default);
    lines.push(
      `  ${name}`,
      `      ${spec.describe}`,
      `      env ${envName(spec.flag)}; default ${def}; accepts ${spec.accepts}`,
    );
  }
  lines.push('  -h, --help', '      Show this help.');
  return lines.join('\n');
}
