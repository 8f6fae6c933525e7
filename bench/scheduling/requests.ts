/** HTTP requests to the server under test over keep-alive connections, as one browser would send them. */
import { Agent, request } from 'node:http';

let agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** A new pool of keep-alive connections, used by `call` from now on (destroy the last one first). */
export function freshAgent(): Agent {
  agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return agent;
}

type Init = { method?: string; headers?: Record<string, string>; body?: string; agent?: Agent | false };

/**
 * One request over the keep-alive agent. A connection the server closed while idle answers
 * ECONNRESET on reuse: the request is sent again (GETs, and bookings carry an Idempotency-Key).
 */
export async function call(url: string, init: Init = {}): Promise<{ status: number; body: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(url, init);
    } catch (e) {
      if (attempt >= 3 || (e as NodeJS.ErrnoException).code !== 'ECONNRESET') throw e;
    }
  }
}

/** One request, sent once: the status and the whole body. */
export function once(url: string, init: Init): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, agent: init.agent ?? agent },
      (res) => {
        let body = '';
        res.on('error', reject);
        res.setEncoding('utf8');
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
