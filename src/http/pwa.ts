import { Hono } from 'hono';
import type { RouteKit } from './routes.ts';
import { sendAsset } from './static.ts';
import type { AppEnv, HttpDeps } from './types.ts';

/**
 * `/app`: the patient PWA (its index.html answers every /app path the router owns). Hashed files
 * are cached for a year; the service worker and the HTML never, so a new version is picked up.
 */
export function pwaRoutes(deps: Pick<HttpDeps, 'assets' | 'clinic'>, { authorize }: RouteKit) {
  const app = new Hono<AppEnv>();
  const { assets } = deps;

  app.get('/', authorize('public'), (c) => c.redirect('/app/', 301));
  // The installed app carries the clinic's name (settings), not ours.
  app.get('/manifest.webmanifest', authorize('public'), async (c) => {
    const asset = await assets.read('/app/manifest.webmanifest');
    if (!asset) return c.notFound();
    const manifest = JSON.parse(await new Response(asset.body).text()) as Record<string, unknown>;
    const { name, locale } = await deps.clinic.get();
    manifest.name = name;
    manifest.short_name = name.length <= 12 ? name : name.split(/\s+/)[0]!.slice(0, 12);
    manifest.lang = locale;
    return c.body(JSON.stringify(manifest), 200, {
      'Content-Type': 'application/manifest+json',
      'Cache-Control': 'no-cache',
    });
  });
  app.get('/*', authorize('public'), async (c) => {
    const path = c.req.path;
    const isHashed = /-[a-z0-9]{8,}\.\w+$/.test(path);
    const file = path.endsWith('/')
      ? null
      : await sendAsset(assets, path, isHashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (file) return file;
    if (/\.\w+$/.test(path)) return c.notFound();
    return (await sendAsset(assets, '/app/index.html', 'no-cache')) ?? c.notFound();
  });
  return app;
}
