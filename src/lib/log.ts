/**
 * A small structured logger: one line per event, JSON (for machines) or pretty (for people).
 * Callers pass fields explicitly; nothing logs request bodies, cookies, tokens or codes — the
 * fields below that look like secrets are dropped as a second line of defence.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'json' | 'pretty';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const secretKey = /pass(word)?|secret|token|cookie|authorization|code$|otp/i;

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions = {}, bindings: LogFields = {}): Logger {
  const min = rank[options.level ?? 'info'];
  const format = options.format ?? 'json';
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));

  const emit = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (rank[level] < min) return;
    const all = { ...bindings, ...fields };
    for (const k of Object.keys(all)) if (secretKey.test(k)) delete all[k];
    for (const [k, v] of Object.entries(all)) if (v instanceof Error) all[k] = v.message;
    write(format === 'json' ? toJson(level, msg, all) : toPretty(level, msg, all));
  };

  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (more) => createLogger(options, { ...bindings, ...more }),
  };
}

function toJson(level: string, msg: string, fields: LogFields): string {
  return JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
}

function toPretty(level: string, msg: string, fields: LogFields): string {
  const time = new Date().toISOString().slice(11, 23);
  const rest = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time} ${level.toUpperCase().padEnd(5)} ${msg}${rest ? `  ${rest}` : ''}`;
}

/** A logger that drops everything; for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
