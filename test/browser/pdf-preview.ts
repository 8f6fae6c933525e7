import type { Frame, Page } from 'playwright-core';

/**
 * What Chromium's PDF viewer shows in `page` (the frame its extension runs in, inside the frame
 * that loaded the PDF): how many pages it opened, and whether it shows its "Failed to load PDF
 * document" dialog — so a test sees a preview really drawn, under whatever policy the PDF came with.
 */
export async function pdfViewerState(page: Page): Promise<{ pages: number; failed: boolean } | null> {
  const viewer: Frame | undefined = page.frames().find((f) => f.url().startsWith('chrome-extension://'));
  if (!viewer) return null;
  return viewer
    .evaluate(() => {
      const root = document.querySelector('pdf-viewer')?.shadowRoot;
      const toolbar = root?.querySelector('viewer-toolbar') as { docLength?: number } | null | undefined;
      return {
        pages: toolbar?.docLength ?? 0,
        failed: !!root?.querySelector('viewer-error-dialog'),
      };
    })
    .catch(() => null);
}
