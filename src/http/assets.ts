import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMimeType } from 'hono/utils/mime';

/**
 * Where static files (staff CSS, htmx, icons) and the built PWA come from: the repo's folders
 * when running from source, or the files embedded in the binary (build.ts generates that map).
 */
export interface Asset {
  body: Uint8Array<ArrayBuffer> | Blob;
  contentType: string;
}

export interface AssetSource {
  /** `urlPath` like `/static/app.css` or `/app/index.html`; null when there is no such file. */
  read(urlPath: string): Promise<Asset | null>;
}

const contentTypeOf = (path: string) =>
  getMimeType(path) ??
  (extname(path) === '.webmanifest' ? 'application/manifest+json' : 'application/octet-stream');

/** URL prefix → folder, relative to the repository root. */
export const assetFolders: Record<string, string> = {
  '/static/': 'static',
  '/static/vendor/htmx/': 'node_modules/htmx.org/dist',
  '/static/vendor/simplewebauthn/': 'node_modules/@simplewebauthn/browser/dist/bundle',
  '/app/': 'dist/pwa',
};

/** Vendor folders ship more than we serve: only these files (relative to the folder) are assets. */
export const assetIncluded: Record<string, RegExp> = {
  '/static/vendor/htmx/': /^htmx\.min\.js$/,
};

/** Whether the file at `rel` under `prefix`'s folder is served (and embedded). */
export const isAssetIncluded = (prefix: string, rel: string): boolean =>
  assetIncluded[prefix]?.test(rel) ?? true;

/** Reads assets from the source tree (npm start, tests). */
export function diskAssets(root = fileURLToPath(new URL('../../', import.meta.url))): AssetSource {
  const prefixes = Object.keys(assetFolders).sort((a, b) => b.length - a.length);
  return {
    async read(urlPath) {
      const prefix = prefixes.find((p) => urlPath.startsWith(p));
      if (!prefix) return null;
      const rel = normalize(urlPath.slice(prefix.length));
      if (rel.startsWith('..') || rel.includes('\0') || !isAssetIncluded(prefix, rel)) return null;
      const file = join(root, assetFolders[prefix]!, rel);
      try {
        if (!(await stat(file)).isFile()) return null;
        return { body: new Uint8Array(await readFile(file)), contentType: contentTypeOf(file) };
      } catch {
        return null;
      }
    },
  };
}

/** Reads assets embedded in the binary: a map of URL path → embedded file path (Bun.file). */
export function embeddedAssets(files: Record<string, string>): AssetSource {
  return {
    async read(urlPath) {
      const path = files[urlPath];
      if (!path) return null;
      const bun = (globalThis as unknown as { Bun: { file(p: string): Blob } }).Bun;
      return { body: bun.file(path), contentType: contentTypeOf(urlPath) };
    },
  };
}
