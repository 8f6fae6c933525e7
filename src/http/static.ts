import { Hono } from 'hono';
import type { AssetSource } from './assets.ts';
import type { RouteKit } from './routes.ts';
import type { AppEnv, HttpDeps } from './types.ts';

/** An asset as a response with `cacheControl`, or null when there is no such file. */
export async function sendAsset(assets: AssetSource, path: string, cacheControl: string) {
  const asset = await assets.read(path);
  if (!asset) return null;
  return new Response(asset.body, {
    headers: { 'Content-Type': asset.contentType, 'Cache-Control': cacheControl },
  });
}

/** `/static`: the staff app's files (styles, scripts, vendored htmx), cached for an hour. */
export function staticRoutes(deps: Pick<HttpDeps, 'assets'>, { authorize }: RouteKit) {
  const app = new Hono<AppEnv>();
  app.get(
    '/*',
    authorize('public'),
    async (c) => (await sendAsset(deps.assets, c.req.path, 'public, max-age=3600')) ?? c.notFound(),
  );
  return app;
}
