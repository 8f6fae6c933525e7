/** CPU time of processes, from Linux's /proc (clock ticks of 1/100 s), for the scale bench. */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100;

/** User + system CPU seconds of a process so far (0 when gone). */
function processSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime
  } catch {
    return 0;
  }
}

/** CPU seconds of these processes together. */
export const cpuSeconds = (pids: number[]): number => pids.reduce((sum, pid) => sum + processSeconds(pid), 0);

/** CPU seconds of every PostgreSQL process on this machine (the server and its backends). */
export async function pgCpuSeconds(): Promise<number> {
  let sum = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        sum += processSeconds(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}
