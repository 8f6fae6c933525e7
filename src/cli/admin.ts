import { z } from 'zod';
import { boolOption, configFrom, dataOptions, option, serverOptions, textOption } from '../config/index.ts';
import { staffRoles } from '../domain/accounts/index.ts';
import { systemActor } from '../domain/audit/index.ts';
import { isAppError } from '../lib/errors.ts';
import { defineCommand } from './command.ts';
import { withCommandApp } from './start.ts';

const usage =
  'clinicbox admin create --email E --name N [--role admin|practitioner|reception] [--password-stdin]';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export const adminCommand = defineCommand({
  name: 'admin',
  usage,
  summary: 'Manage staff accounts from the command line: create one (the first admin, or a rescue).',
  options: {
    ...dataOptions,
    email: textOption(
      'email',
      'email',
      'an email address',
      'create: the member’s email (their sign-in name).',
    ),
    name: textOption('name', 'name', 'a name', 'create: the member’s full name.'),
    role: option('role <role>', z.enum(staffRoles), 'admin', {
      accepts: staffRoles.join(', '),
      describe: 'create: their role.',
    }),
    passwordStdin: boolOption(
      'password-stdin',
      false,
      'create: read the password from standard input (else a one-time link to set it is printed).',
    ),
    baseUrl: serverOptions.baseUrl,
  },
  async run(values, positionals, ctx) {
    if (positionals[0] !== 'create' || positionals.length > 1) {
      ctx.err(`usage: ${usage}`);
      return 2;
    }
    if (!values.email || !values.name) {
      ctx.err('admin create: --email and --name are required');
      return 2;
    }
    const password = values.passwordStdin ? await readStdin() : undefined;
    const config = configFrom({ ...values, logLevel: 'warn' as const });
    return withCommandApp(config, ctx, 'admin', async (app) => {
      const { accounts } = app.deps.staff;
      try {
        const account = await accounts.create(systemActor, {
          email: values.email,
          name: values.name,
          role: values.role,
          password,
        });
        ctx.out(`created ${account.role} ${account.email}`);
        if (!password) {
          const token = await accounts.issueSetPasswordLink(account.id);
          const base = values.baseUrl || 'http://127.0.0.1:8080';
          ctx.out(`They set their password within 24 hours at:\n  ${base}/staff/set-password?token=${token}`);
        }
        return 0;
      } catch (e) {
        if (isAppError(e) && (e.status === 409 || e.status === 422)) {
          ctx.err(`admin create: ${e.issues?.map((i) => `${i.path}: ${i.message}`).join('; ') || e.message}`);
          return 1;
        }
        throw e;
      }
    });
  },
});
