import type { Page } from 'playwright-core';

/** Whether the page scrolls sideways (a phone's screen must not). */
export const scrollsSideways = (page: Page): Promise<boolean> =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
