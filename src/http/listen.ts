import { readFileSync } from 'node:fs';
import type { Server as NetServer, Socket } from 'node:net';
import type { HelloAsks } from './tls/client-hello.ts';

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
  /**
   * Until the returned function is called, hands each new connection whose TLS ClientHello
   * offers the ALPN protocol `protocol` to `take` (a TLS server of its own, e.g. the answers to
   * ACME TLS-ALPN-01 challenges) and serves every other connection as usual. Costs nothing
   * until called: Node reads the hello of each new connection meanwhile, then hands the socket to
   * its TLS server untouched; Bun.serve cannot, so a node:net front takes the port beside it
   * (SO_REUSEPORT), the direct server stops accepting, and the front splices the other
   * connections to a Bun.serve on loopback (the client's address kept) — until the function
   * gives the port back to a direct Bun.serve. Only when listening with `tls`.
   */
  divertAlpn(protocol: string, take: (socket: Socket, asks: HelloAsks) => void): Promise<() => Promise<void>>;
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
    /** Requests that came through the front: the front's port on loopback → the client's address. */
    type Ips = Map<number, string>;
    const serveOn = (port: number, pair: CertificatePair | undefined, ips?: Ips, hostname = options.host) =>
      bun.serve({
        fetch: (req: Request, srv: BunServerLike) => {
          const peer = srv.requestIP(req);
          return fetch(req, { ip: peer ? (ips?.get(peer.port) ?? peer.address) : undefined });
        },
        port,
        hostname,
        // Bun cannot swap a certificate in place: a renewal opens a second server on the port.
        ...(pair ? { tls: pair, reusePort: true } : {}),
      });
    let pair = tls;
    /** The server on the port; null while a front holds it (divertAlpn). */
    let server: BunServer | null = serveOn(options.port, tls);
    const port = server.port;
    /** Servers stopped gracefully and the front's sockets: dropped when a close's grace ends. */
    const retiring = new Set<BunServer>();
    const spliced = new Set<Socket>();
    let front: NetServer | null = null;
    const retire = (old: BunServer) => {
      retiring.add(old);
      return old.stop(false).finally(() => retiring.delete(old));
    };
    return {
      url: `${scheme}://${urlHost}:${port}`,
      port,
      async setCertificate(next) {
        if (!pair) throw new Error('not listening with TLS');
        pair = next;
        if (!server) return; // a front holds the port: the server that takes it back uses `pair`
        const old = server;
        server = serveOn(port, next);
        await retire(old);
      },
      async divertAlpn(protocol, take) {
        if (!pair || !server) throw new Error(pair ? 'already diverting' : 'not listening with TLS');
        const net = await import('node:net');
        const { readHelloAsks } = await import('./tls/client-hello.ts');
        const ips: Ips = new Map();
        const backend = serveOn(0, pair, ips, '127.0.0.1');
        const splice = (socket: Socket) => {
          const upstream = net.connect(backend.port, '127.0.0.1', () => {
            const local = upstream.localPort ?? 0;
            ips.set(local, socket.remoteAddress ?? '');
            upstream.once('close', () => ips.delete(local));
            socket.pipe(upstream);
            upstream.pipe(socket);
          });
          upstream.once('close', () => socket.destroy());
          socket.once('close', () => upstream.destroy());
          upstream.on('error', () => {});
        };
        const listener = net.createServer((socket) => {
          spliced.add(socket);
          socket.once('close', () => spliced.delete(socket));
          socket.on('error', () => {}); // a reset peer: the socket closes
          void readHelloAsks(socket).then((asks) => {
            if (!asks) socket.destroy();
            else if (asks.protocols.includes(protocol)) take(socket, asks);
            else splice(socket);
          });
        });
        await new Promise<void>((resolve, reject) => {
          listener.once('error', reject);
          // reusePort: Bun's node:net has it (Node ≥ 22.12 too); Node 20's types do not.
          listener.listen({ port, host: options.host, reusePort: true } as { port: number }, resolve);
        });
        front = listener;
        const direct = server;
        server = null;
        void retire(direct); // stops accepting at once; its connections finish
        return async () => {
          if (front !== listener) return;
          server = serveOn(port, pair);
          front = null;
          listener.close();
          void retire(backend); // its keep-alive connections close, the clients reconnect direct
        };
      },
      async close(graceMs) {
        front?.close();
        front = null;
        const stopping = [...(server ? [server] : []), ...retiring].map((s) => s.stop(false));
        const timer = setTimeout(() => {
          server?.stop(true);
          for (const s of retiring) s.stop(true);
          for (const s of spliced) s.destroy();
        }, graceMs);
        await Promise.all(stopping);
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
    async divertAlpn(protocol, take) {
      if (!tls) throw new Error('not listening with TLS');
      const { readHelloAsks } = await import('./tls/client-hello.ts');
      // The HTTPS server's own listeners (its TLS wrapping) get the sockets not taken.
      const usual = server.listeners('connection') as ((socket: Socket) => void)[];
      const serveUsual = (socket: Socket) => {
        for (const listener of usual) listener.call(server, socket);
      };
      const divert = (socket: Socket) => {
        const ignore = () => {}; // a reset peer while the hello is read: the socket closes
        socket.on('error', ignore);
        void readHelloAsks(socket).then((asks) => {
          socket.off('error', ignore);
          if (!asks) socket.destroy();
          else if (asks.protocols.includes(protocol)) take(socket, asks);
          else serveUsual(socket);
        });
      };
      server.removeAllListeners('connection');
      server.on('connection', divert);
      return async () => {
        if (!server.listeners('connection').includes(divert)) return;
        server.removeListener('connection', divert);
        for (const listener of usual) server.on('connection', listener);
      };
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
  }): BunServer;
}

interface BunServer {
  port: number;
  stop(force: boolean): Promise<void>;
}

interface BunServerLike {
  requestIP(req: Request): { address: string; port: number } | null;
}
