import type { OptionTable, ValuesOf } from '../config/index.ts';
import type { JobDefinition } from '../jobs/index.ts';

/** What main.ts hands a command: output streams, env and what the binary embeds. */
export interface CommandContext {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
  /** URL path → embedded file, when running as the compiled binary. */
  embeddedAssets?: Record<string, string> | undefined;
  /** Extra job handlers (only the crash test's entry sets these). */
  extraJobs?: JobDefinition<any>[] | undefined;
}

/** A command that keeps running (serve, worker) until main.ts asks it to stop on a signal. */
export interface Running {
  /** Resolves with the exit code when the command ends by itself. */
  done: Promise<number>;
  stop(): Promise<void>;
}

export interface Command<T extends OptionTable = OptionTable> {
  name: string;
  summary: string;
  usage?: string;
  options: T;
  run(values: ValuesOf<T>, positionals: string[], ctx: CommandContext): Promise<number | Running>;
}

export const defineCommand = <T extends OptionTable>(c: Command<T>): Command<T> => c;

/**
 * How the person at the terminal runs Clinicbox, for the commands a hint tells them to run: the
 * binary (it embeds its files) is `clinicbox`; from a clone it is `npm start --`.
 */
export const runAs = (ctx: Pick<CommandContext, 'embeddedAssets'>): string =>
  ctx.embeddedAssets ? 'clinicbox' : 'npm start --';
