import { execFileSync } from 'node:child_process';

/**
 * Whether the command `name` is installed (a Debian package's binary, for a peer a test starts):
 * it runs with `versionFlag`. A command that is there but fails still counts as installed.
 */
export function installed(name: string, versionFlag: string): boolean {
  try {
    execFileSync(name, [versionFlag], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
