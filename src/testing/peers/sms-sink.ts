import { createServer, type IncomingMessage, type Server } from 'node:http';
import { until } from '../wait.ts';

/**
 * A local HTTP server standing in for an SMS provider: it records every request (path, headers,
 * body) and answers like a gateway (`{"id":…}`) or like Twilio (`{"sid":…}`, 201) — or with an
 * error status for the next N requests, to test retries and permanent refusals.
 */
export interface SmsSinkRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface SmsSink {
  url: string;
  requests: SmsSinkRequest[];
  /** The next `times` requests get `status` (e.g. 500: retried; 400: permanent). */
  failNext(status: number, times?: number): void;
  /** All arrived so far, once there are `count` (throws, naming them, after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<SmsSinkRequest[]>;
  stop(): Promise<void>;
}

export async function startSmsSink(): Promise<SmsSink> {
  const requests: SmsSinkRequest[] = [];
  let failures: { status: number; left: number } | null = null;
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      if (failures && failures.left > 0) {
        failures.left--;
        res.writeHead(failures.status, { 'content-type': 'application/json' }).end('{"error":"refused"}');
        return;
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      n++;
      const twilio = (req.url ?? '').includes('/Messages.json');
      res
        .writeHead(twilio ? 201 : 200, { 'content-type': 'application/json' })
        .end(JSON.stringify(twilio ? { sid: `SM${n}` } : { id: `msg-${n}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(status, times = 1) {
      failures = { status, left: times };
    },
    async waitFor(count, timeoutMs = 10_000) {
      await until(`${count} SMS at the gateway stand-in`, async () => requests.length >= count, timeoutMs);
      return requests;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
