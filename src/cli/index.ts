import { adminCommand } from './admin.ts';
import { auditCommand } from './audit.ts';
import { backupCommand } from './backup.ts';
import type { Command } from './command.ts';
import { demoCommand } from './demo.ts';
import { doctorCommand } from './doctor.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { jobsCommand } from './jobs.ts';
import { keysCommand } from './keys.ts';
import { migrateCommand } from './migrate.ts';
import { restoreCommand } from './restore.ts';
import { serveCommand } from './serve.ts';
import { storageCommand } from './storage.ts';
import { versionCommand } from './version.ts';
import { workerCommand } from './worker.ts';

/** Every command, in the order `clinicbox --help` lists them. The first is the default. */
export const commands: Command<any>[] = [
  serveCommand,
  workerCommand,
  migrateCommand,
  jobsCommand,
  adminCommand,
  auditCommand,
  storageCommand,
  backupCommand,
  restoreCommand,
  exportCommand,
  importCommand,
  keysCommand,
  demoCommand,
  doctorCommand,
  versionCommand,
];

export function programHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: clinicbox [command] [flags]',
    '',
    'Clinicbox: a whole small-clinic system in one executable.',
    '',
    'Commands:',
    ...commands.map((c, i) => `  ${c.name.padEnd(width)}  ${c.summary}${i === 0 ? ' (default)' : ''}`),
    '',
    'Run `clinicbox <command> --help` for its flags. Every flag has an env twin CLINICBOX_<FLAG>;',
    'precedence is flag > env > config file (--config) > default.',
  ].join('\n');
}

export type { Command, CommandContext, Running } from './command.ts';
