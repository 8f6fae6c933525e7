/** Test waits: a pause, and polling until a check returns something (or a clear timeout). */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every 20 ms until it returns a truthy value, which it returns; throws after `ms`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  ms = 8000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
