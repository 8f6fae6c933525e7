import { describe, expect, it } from 'vitest';
import { commands } from '../src/cli/index.ts';
import { envName } from '../src/config/load.ts';
import type { OptionTable } from '../src/config/options.ts';
import { runCli } from '../src/testing/process.ts';

// Every command's help, from the command line itself (no database: it runs once in CI).
describe('clinicbox <command> --help', () => {
  it('every command has --help listing each flag with its env twin and default', async () => {
    for (const command of commands) {
      const help = await runCli([command.name, '--help']);
      expect(help.code, command.name).toBe(0);
      for (const spec of Object.values(command.options as OptionTable)) {
        expect(help.stdout, `${command.name} --${spec.flag}`).toContain(
          `env ${envName(spec.flag)}; default `,
        );
      }
    }
  }, 60_000);
});
