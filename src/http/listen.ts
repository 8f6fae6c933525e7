import { readFileSync } from 'node:fs';

/**
 * Serves a fetch handler on Bun.serve (the binary) or @hono/node-server (Node), over HTTP or,
 * with a certificate, HTTPS. `close(graceMs)` stops accepting at once, lets in-flight requests
 * finish for up to graceMs, then drops what is left.
 */
export interface Listening {
  url: string;
  port: number;
  /**
   * Serves new connections with this certificate from now on (a renewal), without dropping any:
   * Node swaps the TLS context in place; Bun opens a second server on the port (SO_REUSEPORT)
   * before the first stops gracefully. Only when listening with `tls`.
   */
  setCertificate(pair: CertificatePair): Promise<void>;
  close(graceMs: number): Promise<void>;
}

/** A PEM certificate (chain) and its private key. */
export interface CertificatePair {
  cert: string;
  key: string;
}

export interface ListenOptions {
  port: number;
  host: string;
  /** HTTPS with these files, or with a certificate held in memory (managed by ACME). */
  tls?: { certPath: string; keyPath: string } | CertificatePair | undefined;
}

/** The handler gets the peer's address as `env.ip` (Hono: `c.env.ip`). */
type Fetch = (req: Request, env: { ip: string | undefined }) => Response | Promise<Response>;

export async function listen(fetch: Fetch, options: ListenOptions): Promise<Listening> {
  const tls =
    options.tls && 'certPath' in options.tls
      ? { cert: readFileSync(options.tls.certPath, 'utf8'), key: readFileSync(options.tls.keyPath, 'utf8') }
      : options.tls;
  const scheme = tls ? 'https' : 'http';
  // Every interface: this computer opens it as localhost (0.0.0.0 is no address to browse to).
  const wildcard = options.host === '0.0.0.0' || options.host === '::';
  const urlHost = wildcard ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  const bun = (globalThis as unknown as { Bun?: BunLike }).Bun;
  if (bun) {
    const serveOn = (port: number, pair: CertificatePair | undefined) =>
      bun.serve({
        fetch: (req: Request, srv: BunServerLike) => fetch(req, { ip: srv.requestIP(req)?.address }),
        port,
        hostname: options.host,
        // Bun cannot swap a certificate in place: a renewal opens a second server on the port.
        ...(pair ? { tls: pair, reusePort: true } : {}),
      });
    let server = serveOn(options.port, tls);
    return {
      url: `${scheme}://${urlHost}:${server.port}`,
      port: server.port,
      async setCertificate(pair) {
        if (!tls) throw new Error('not listening with TLS');
        const old = server;
        server = serveOn(old.port, pair);
        await old.stop(false);
      },
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
    async setCertificate(pair) {
      if (!tls) throw new Error('not listening with TLS');
      (server as import('node:https').Server).setSecureContext(pair);
    },
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
    tls?: CertificatePair;
    reusePort?: boolean;
  }): {
    port: number;
    stop(force: boolean): Promise<void>;
  };
}

interface BunServerLike {
  requestIP(req: Request): { address: string } | null;
}
