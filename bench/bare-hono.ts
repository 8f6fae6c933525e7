/**
 * The baseline for bench/http.ts: a bare Hono hello world on Bun.serve, nothing else.
 * Run: npx bun bench/bare-hono.ts [port]   (or PORT=…; 0 picks a free port)
 */
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.text('Hello Hono!'));

const port = Number(process.argv[2] ?? process.env.PORT ?? 3000);
const server = Bun.serve({ port, hostname: '127.0.0.1', fetch: app.fetch });
console.log(`bare Hono on http://127.0.0.1:${server.port}`);

const stop = () => {
  server.stop(true);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
