import { readFileSync } from 'node:fs';

/**
 * Serves a fetch handler on Bun.serve (the binary) or @hono/node-server (Node), over HTTP or,
 * with a certificate, HTTPS. `close(graceMs)` stops accepting at once, lets in-flight requests
 * finish for up to graceMs, then drops what is left.
 */
export interface Listening {
  url: string;
  port: number;
  close(graceMs: number): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string;
  tls?: { certPath: string; keyPath: string } | undefined;
}

/** The handler gets the peer's address as `env.ip` (Hono: `c.env.ip`). */
type Fetch = (req: Request, env: { ip: string | undefined }) => Response | Promise<Response>;

export async function listen(fetch: Fetch, options: ListenOptions): Promise<Listening> {
  const tls = options.tls
    ? { cert: readFileSync(options.tls.certPath, 'utf8'), key: readFileSync(options.tls.keyPath, 'utf8') }
    : undefined;
  const scheme = tls ? 'https' : 'http';
  // Every interface: this computer opens it as localhost (0.0.0.0 is no address to browse to).
  const wildcard = options.host === '0.0.0.0' || options.host === '::';
  const urlHost = wildcard ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  const bun = (globalThis as unknown as { Bun?: BunLike }).Bun;
  if (bun) {
    const server = bun.serve({
      fetch: (req: Request, srv: BunServerLike) => fetch(req, { ip: srv.requestIP(req)?.address }),
      port: options.port,
      hostname: options.host,
      ...(tls ? { tls } : {}),
    });
    return {
      url: `${scheme}://${urlHost}:${server.port}`,
      port: server.port,
      async close(graceMs) {
        const graceful = server.stop(false);
        const timer = setTimeout(() => server.stop(true), graceMs);
        await graceful;
        clearTimeout(timer);
      },
    };
  }

  const { serve } = await import('@hono/node-server');
  const https = tls ? await import('node:https') : undefined;
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = serve({
      fetch: (req, env) =>
        fetch(req, {
          ip: (env as { incoming?: { socket?: { remoteAddress?: string } } }).incoming?.socket?.remoteAddress,
        }),
      port: options.port,
      hostname: options.host,
      ...(https && tls ? { createServer: https.createServer, serverOptions: tls } : {}),
    }) as import('node:http').Server;
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `${scheme}://${urlHost}:${port}`,
    port,
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

interface BunLike {
  serve(options: {
    fetch: (req: Request, server: BunServerLike) => Response | Promise<Response>;
    port: number;
    hostname: string;
    tls?: { cert: string; key: string };
  }): {
    port: number;
    stop(force: boolean): Promise<void>;
  };
}

interface BunServerLike {
  requestIP(req: Request): { address: string } | null;
}
