import { Hono } from 'hono';
import type { AssetSource } from './assets.ts';
import type { RouteKit } from './routes.ts';
import type { AppEnv } from './types.ts';

/**
 * Static files for the staff app under /static, and the patient PWA under /app (its index.html
 * answers every /app path the router owns). Hashed PWA files are cached for a year; the service
 * worker and the HTML never, so a new version is picked up.
 */
export function staticRoutes(
  assets: AssetSource,
  { authorize }: RouteKit,
  clinic: () => Promise<{ name: string; locale: string }>,
) {
  const app = new Hono<AppEnv>();

  const send = async (path: string, cacheControl: string) => {
    const asset = await assets.read(path);
    if (!asset) return null;
    return new Response(asset.body, {
      headers: { 'Content-Type': asset.contentType, 'Cache-Control': cacheControl },
    });
  };

  app.get(
    '/static/*',
    authorize('public'),
    async (c) => (await send(c.req.path, 'public, max-age=3600')) ?? c.notFound(),
  );

  app.get('/app', authorize('public'), (c) => c.redirect('/app/', 301));
  // The installed app carries the clinic's name (settings), not ours.
  app.get('/app/manifest.webmanifest', authorize('public'), async (c) => {
    const asset = await assets.read('/app/manifest.webmanifest');
    if (!asset) return c.notFound();
    const manifest = JSON.parse(await new Response(asset.body).text()) as Record<string, unknown>;
    const { name, locale } = await clinic();
    manifest.name = name;
    manifest.short_name = name.length <= 12 ? name : name.split(/\s+/)[0]!.slice(0, 12);
    manifest.lang = locale;
    return c.body(JSON.stringify(manifest), 200, {
      'Content-Type': 'application/manifest+json',
      'Cache-Control': 'no-cache',
    });
  });
  app.get('/app/*', authorize('public'), async (c) => {
    const path = c.req.path;
    const isHashed = /-[a-z0-9]{8,}\.\w+$/.test(path);
    const file = path.endsWith('/')
      ? null
      : await send(path, isHashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (file) return file;
    if (/\.\w+$/.test(path)) return c.notFound();
    return (await send('/app/index.html', 'no-cache')) ?? c.notFound();
  });
  return app;
}
