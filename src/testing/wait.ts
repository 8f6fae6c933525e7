/**
 * Test waits. `until` is the one way a test waits for something to happen (a job, a message, a
 * server); `sleep` is for where real elapsed time is what is tested (a lease, a grace period, a
 * TOTP step), and `jitter` for random pauses that make concurrent work interleave.
 */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A random pause of up to `ms` inside concurrent work, so that it interleaves differently each run. */
export const jitter = (ms: number) => sleep(Math.random() * ms);

/**
 * Polls `fn` every 20 ms until it returns a truthy value, which it returns; after `ms` it throws
 * `timed out after <ms> ms waiting for <what>`. The default allows 20 s: what takes a second
 * alone (a worker's SMTP conversation, a child process starting) took over 8 s with both suites
 * and their browsers and child processes on 2 cores; a wait only lasts that long when it fails.
 */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** A promise to open by hand: lets a test hold code inside one step, or learn that it got there. */
export function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { opened, open };
}
