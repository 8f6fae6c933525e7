/**
 * The entry point: parse the command line, run one command, exit. The only place that calls
 * process.exit or handles signals. The compiled binary's entry sets `globalThis.__clinicboxAssets`
 * (the embedded files) before importing this module; the crash test's entry sets
 * `globalThis.__clinicboxExtraJobs` (a recording handler) the same way.
 */
import { type CommandContext, commands, programHelp, type Running } from './cli/index.ts';
import { formatHelp, loadOptions, UsageError } from './config/index.ts';

export async function main(argv: string[], ctx: CommandContext): Promise<number | Running> {
  const first = argv[0];
  if (first === '--help' || first === '-h' || first === 'help') {
    ctx.out(programHelp());
    return 0;
  }
  if (first === '--version') argv = ['version'];
  const named = first && !first.startsWith('-') ? commands.find((c) => c.name === first) : undefined;
  if (first && !first.startsWith('-') && !named) {
    throw new UsageError(`unknown command "${first}" (commands: ${commands.map((c) => c.name).join(', ')})`);
  }
  const command = named ?? commands[0]!;
  const rest = named ? argv.slice(1) : argv;
  const parsed = loadOptions(command.name, command.options, rest, ctx.env);
  if (parsed.help) {
    ctx.out(formatHelp(command.name, command.summary, command.options, command.usage));
    return 0;
  }
  return command.run(parsed.values, parsed.positionals, ctx);
}

async function runProcess(): Promise<void> {
  const ctx: CommandContext = {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    embeddedAssets: (globalThis as { __clinicboxAssets?: Record<string, string> }).__clinicboxAssets,
    extraJobs: (globalThis as { __clinicboxExtraJobs?: CommandContext['extraJobs'] }).__clinicboxExtraJobs,
  };
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
  const running = result;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      ctx.err(`clinicbox: ${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    running.stop().catch((e) => {
      ctx.err(`clinicbox: error while stopping: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.exit(await running.done);
}

await runProcess();
