import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
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
   * ACME TLS-ALPN-01 challenges) and serves every other connection as usual. Node reads the
   * hello of each new connection meanwhile, then hands the socket to its HTTPS server untouched
   * (costs nothing before or after). Bun.serve can neither negotiate another protocol nor choose
   * a certificate by ALPN, and swapping listeners on the port would drop connections (Bun.serve's
   * stop resets those accepted that have sent nothing yet), so with `divertsAlpn` a node:net
   * front holds the port for good and splices each connection to Bun.serve on loopback (the
   * client's address kept), reading hellos only while diverting. Only when listening with `tls`.
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
  /**
   * `divertAlpn` will be called (ACME TLS-ALPN-01). Under Bun this puts a front before Bun.serve
   * from the start (see divertAlpn); Node needs nothing.
   */
  divertsAlpn?: boolean;
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
    const ips = new Map<number, string>();
    const serveOn = (port: number, pair: CertificatePair | undefined, hostname = options.host) =>
      bun.serve({
        fetch: (req: Request, srv: BunServerLike) => {
          const peer = srv.requestIP(req);
          return fetch(req, { ip: peer ? (ips.get(peer.port) ?? peer.address) : undefined });
        },
        port,
        hostname,
        // Bun cannot swap a certificate in place: a renewal opens a second server on the port.
        ...(pair ? { tls: pair, reusePort: true } : {}),
      });
    if (tls && options.divertsAlpn) return listenBehindFront(serveOn, tls, ips, options, urlHost);
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
      async divertAlpn() {
        throw new Error(tls ? 'listen with divertsAlpn to divert under Bun' : 'not listening with TLS');
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

/**
 * Bun with `divertsAlpn`: a node:net front on the port splices every connection to a Bun.serve
 * on loopback (a new one at each certificate, the old one stopped once its last connection
 * closed, so none is dropped); while diverting it reads each hello first and hands the
 * connections offering the protocol to `take`.
 */
async function listenBehindFront(
  serveOn: (port: number, pair: CertificatePair, hostname: string) => BunServer,
  first: CertificatePair,
  ips: Map<number, string>,
  options: ListenOptions,
  urlHost: string,
): Promise<Listening> {
  const net = await import('node:net');
  const { readHelloAsks } = await import('./tls/client-hello.ts');
  /** A loopback server and the connections spliced to it. */
  interface Backend {
    server: BunServer;
    open: number;
    retired: boolean;
  }
  const backendFor = (pair: CertificatePair): Backend => ({
    server: serveOn(0, pair, '127.0.0.1'),
    open: 0,
    retired: false,
  });
  let backend = backendFor(first);
  const backends = new Set([backend]);
  const stopIfDone = (b: Backend) => {
    if (b.retired && b.open === 0 && backends.delete(b)) void b.server.stop(false);
  };
  const sockets = new Set<Socket>();
  let diverting: { protocol: string; take: (socket: Socket, asks: HelloAsks) => void } | null = null;

  const splice = (socket: Socket) => {
    const to = backend;
    to.open++;
    const upstream = net.connect(to.server.port, '127.0.0.1', () => {
      const local = upstream.localPort ?? 0;
      ips.set(local, socket.remoteAddress ?? '');
      upstream.once('close', () => ips.delete(local));
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
    upstream.on('error', () => {}); // closes: the client's socket follows
    upstream.once('close', () => {
      socket.destroy();
      to.open--;
      stopIfDone(to);
    });
    socket.once('close', () => upstream.destroy());
  };
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a reset peer: the socket closes
    const divert = diverting;
    if (!divert) return splice(socket);
    void readHelloAsks(socket).then((asks) => {
      if (!asks) socket.destroy();
      else if (asks.protocols.includes(divert.protocol)) divert.take(socket, asks);
      else splice(socket);
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.listen(options.port, options.host, resolve);
    });
  } catch (e) {
    await backend.server.stop(true); // e.g. the port is in use: nothing left behind
    throw e;
  }
  const address = front.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `https://${urlHost}:${port}`,
    port,
    async setCertificate(pair) {
      const old = backend;
      backend = backendFor(pair);
      backends.add(backend);
      old.retired = true;
      stopIfDone(old);
    },
    async divertAlpn(protocol, take) {
      const mine = { protocol, take };
      diverting = mine;
      return async () => {
        if (diverting === mine) diverting = null;
      };
    },
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => front.close(() => resolve()));
      const timer = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
        for (const b of backends) void b.server.stop(true);
      }, graceMs);
      // Spliced connections end as their server finishes its requests and closes the idle ones.
      await Promise.all([...backends].map((b) => b.server.stop(false)));
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
