/** The scheduling benchmark's settings, read once from the environment (see bench/scheduling.ts). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const os =
  { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform as string] ?? process.platform;
export const binary = process.env.BENCH_BINARY || join(root, 'dist', `clinicbox-${os}-${process.arch}`);
/** About this many appointments in the full clinic. */
export const target = Number(process.env.BENCH_APPOINTMENTS ?? 1_000_000);
export const practitionerCount = Number(process.env.BENCH_PRACTITIONERS ?? 20);
export const searches = Number(process.env.BENCH_SEARCHES ?? 300);
export const bookings = Number(process.env.BENCH_BOOKINGS ?? 2000);
export const duration = Number(process.env.BENCH_DURATION ?? 10);
export const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const bunBin = join(root, 'node_modules', '.bin', 'bun');
export const ZONE = 'Europe/Paris';

/** Stops the bench with one line on stderr. */
export function die(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

/** Stops the bench unless the built binary and wrk are there. */
export function requireBinaryAndWrk(): void {
  if (!existsSync(binary))
    die(`${binary} is missing. Build it first: npm run build -- --target ${os}-${process.arch}`);
  if ((spawnSync('wrk', ['--version']).error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    die('wrk is not installed: apt-get install -y wrk');
  }
}
