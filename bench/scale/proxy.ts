/**
 * The bench's balancer: a small round-robin HTTP proxy (keep-alive to every backend), so N
 * `clinicbox serve` instances are one address as behind any proxy. No sticky sessions.
 *
 *   node --import tsx bench/scale/proxy.ts <port> <backend base URL>...
 *
 * Prints `PROXY <port>` once listening.
 */
import { Agent, createServer, request } from 'node:http';

const [portArg, ...backends] = process.argv.slice(2);
const targets = backends.map((b) => new URL(b));
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
let next = 0;

const server = createServer((req, res) => {
  const target = targets[next++ % targets.length]!;
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      // The Host stays the proxy's: the instances check Origin against it (and --base-url).
      headers: req.headers,
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
});
server.keepAliveTimeout = 30_000;
server.listen(Number(portArg), '127.0.0.1', () => process.stdout.write(`PROXY ${portArg}\n`));
