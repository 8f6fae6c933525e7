/**
 * The entry point: parse the command line, run one command, exit. The only place that calls
 * process.exit or handles signals. The compiled binary's entry sets `globalThis.__clinicboxAssets`
 * (the embedded files) before importing this module; the crash test's entry sets
 * `globalThis.__clinicboxExtraJobs` (a recording handler) the same way.
 */
import { type CommandContext, commands, programHelp, type Running } from './cli/index.ts';
import { formatHelp, loadOptions, UsageError } from './config/index.ts';
import type { OptionTable } from './config/options.ts';

/** Commands that keep running until a signal; the others end by themselves. */
const longRunning = new Set(['serve', 'worker']);

/** The command argv names (the first, serve, when it names none) and the arguments after it. */
function pickCommand(argv: string[]): { command: (typeof commands)[number]; rest: string[] } {
  const first = argv[0];
  const named = first && !first.startsWith('-') ? commands.find((c) => c.name === first) : undefined;
  if (first && !first.startsWith('-') && !named) {
    throw new UsageError(`unknown command "${first}" (commands: ${commands.map((c) => c.name).join(', ')})`);
  }
  return { command: named ?? commands[0]!, rest: named ? argv.slice(1) : argv };
}

export async function main(argv: string[], ctx: CommandContext): Promise<number | Running> {
  const first = argv[0];
  if (first === '--help' || first === '-h' || first === 'help') {
    ctx.out(programHelp());
    return 0;
  }
  const { command, rest } = pickCommand(first === '--version' ? ['version'] : argv);
  const allFlags = new Set<string>(
    commands.flatMap((c) => Object.values(c.options as OptionTable).map((o) => o.flag)),
  );
  const parsed = loadOptions(command.name, command.options, rest, ctx.env, allFlags);
  if (parsed.help) {
    ctx.out(formatHelp(command.name, command.summary, command.options, command.usage));
    return 0;
  }
  return command.run(parsed.values, parsed.positionals, ctx);
}

async function runProcess(): Promise<void> {
  // Whatever this process writes — the database and its -wal and -shm, uploads, keys, backups,
  // exports — is health data or a secret: the owner's alone (files 0600, folders 0700).
  process.umask(0o077);
  const ctx: CommandContext = {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    embeddedAssets: (globalThis as { __clinicboxAssets?: Record<string, string> }).__clinicboxAssets,
    extraJobs: (globalThis as { __clinicboxExtraJobs?: CommandContext['extraJobs'] }).__clinicboxExtraJobs,
  };
  // A long-running command takes signals from the start: one that comes while it is still
  // starting (migrations) stops it as soon as it runs, with a clean exit. Others keep the default.
  let keepsRunning = false;
  try {
    keepsRunning = longRunning.has(pickCommand(process.argv.slice(2)).command.name);
  } catch {
    // main() reports the unknown command
  }
  let running: Running | undefined;
  let stopping = false;
  const stop = () => {
    running?.stop().catch((e) => {
      ctx.err(`clinicbox: error while stopping: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      ctx.err(`clinicbox: ${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    stop();
  };
  if (keepsRunning) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  let result: number | Running;
  try {
    result = await main(process.argv.slice(2), ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.err(`clinicbox: ${e.message}`);
      process.exit(2);
    }
    ctx.err(`clinicbox: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  }
  if (typeof result === 'number') {
    process.exit(result);
  }
  running = result;
  if (!keepsRunning) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  if (stopping) stop();
  process.exit(await running.done);
}

await runProcess();
