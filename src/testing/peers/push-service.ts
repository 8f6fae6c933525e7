import {
  createDecipheriv,
  createECDH,
  createHmac,
  createPublicKey,
  type ECDH,
  randomBytes,
  verify,
} from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { until } from '../wait.ts';

/**
 * A local HTTP server standing in for a browser vendor's push service, and a subscription made
 * the way a browser makes one (a P-256 key pair and a 16-byte auth secret). It records each
 * request and can answer a path with a status (410: gone; 500: retry). `decrypt` undoes RFC 8291
 * aes128gcm with the subscription's private key — written here from the RFC, independently of the
 * web-push package under test — and `verifyVapid` checks the RFC 8292 JWT's ES256 signature.
 */
export interface PushRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface BrowserSubscription {
  /** What PushSubscription.toJSON() gives the app. */
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  ecdh: ECDH;
  authSecret: Buffer;
}

export interface PushService {
  url: string;
  requests: PushRequest[];
  /** Answer requests to `path` with `status` (sticky until changed; null: 201). */
  answer(path: string, status: number | null): void;
  subscription(path: string): BrowserSubscription;
  /** All arrived so far, once there are `count` (throws, naming them, after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<PushRequest[]>;
  stop(): Promise<void>;
}

export async function startPushService(): Promise<PushService> {
  const requests: PushRequest[] = [];
  const answers = new Map<string, number>();
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const status = answers.get(path) ?? 201;
      if (status === 201) requests.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status, status === 201 ? { location: `${path}/messages/${++n}` } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    requests,
    answer(path, status) {
      if (status === null) answers.delete(path);
      else answers.set(path, status);
    },
    subscription(path) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const authSecret = randomBytes(16);
      return {
        json: {
          endpoint: `${url}${path}`,
          expirationTime: null,
          keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
        },
        ecdh,
        authSecret,
      };
    },
    async waitFor(count, timeoutMs = 8000) {
      await until(`${count} pushes at the push service`, async () => requests.length >= count, timeoutMs);
      return requests;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** RFC 8291 + RFC 8188 (one record): the plaintext the application server encrypted. */
export function decrypt(body: Buffer, sub: BrowserSubscription): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const uaPublic = sub.ecdh.getPublicKey();
  const ecdhSecret = sub.ecdh.computeSecret(asPublic);
  const prkKey = hmac(sub.authSecret, ecdhSecret);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic, Buffer.from([1])]);
  const ikm = hmac(prkKey, keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([
    decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with a 0x02 delimiter followed by zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('bad padding delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** Checks `Authorization: vapid t=<jwt>, k=<key>`: ES256 signature by k, audience, expiry. */
export function verifyVapid(
  authorization: string,
  expect: { publicKey: string; audience: string; now: number },
): { sub: string; exp: number } {
  const m = /^vapid t=([^,]+),\s*k=(.+)$/.exec(authorization);
  if (!m) throw new Error(`not a VAPID authorization: ${authorization}`);
  const [, jwt, k] = m;
  if (k !== expect.publicKey) throw new Error('the VAPID key is not the server’s');
  const [h, p, s] = jwt!.split('.');
  const header = JSON.parse(Buffer.from(h!, 'base64url').toString());
  if (header.alg !== 'ES256') throw new Error(`alg ${header.alg}`);
  const point = Buffer.from(k!, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s!, 'base64url'),
  );
  if (!ok) throw new Error('bad VAPID signature');
  const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
  if (claims.aud !== expect.audience) throw new Error(`aud ${claims.aud}`);
  const nowS = Math.floor(expect.now / 1000);
  if (!(claims.exp > nowS && claims.exp <= nowS + 24 * 3600)) throw new Error(`exp ${claims.exp}`);
  return claims;
}
