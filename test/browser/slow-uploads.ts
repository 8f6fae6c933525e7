import type { Page } from 'playwright-core';

/**
 * Slows the page's uploads to `bytesPerSecond` (DevTools network throttling; downloads stay
 * fast), so a test sees an upload's progress part-way; the returned function lifts the limit.
 */
export async function slowUploads(page: Page, bytesPerSecond: number): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  const throttle = (uploadThroughput: number) =>
    cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput,
    });
  await throttle(bytesPerSecond);
  return async () => {
    await throttle(-1);
  };
}
