import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from 'fauxqs';
import type { Config } from '../../config/index.ts';
import type { S3StoreSettings } from '../../storage/s3-store.ts';

/**
 * A real S3-compatible server for tests, on 127.0.0.1 and a free port, with one bucket:
 * `fauxqs` (in memory; the more faithful: multipart ETags, EntityTooSmall, Ranges) or `s3rver`
 * (files in a temporary folder; needs path-style addressing and `when_required` checksums, and
 * gets some Ranges wrong — see ../shared/STACK.md). Both run behind one node:http server of ours,
 * so a test can make the server fail: `fault(rule)` answers the requests the rule picks with a 5xx
 * S3 error, or drops the connection part-way through the request body.
 */
export type S3PeerKind = 'fauxqs' | 's3rver';

export const S3_PEER_KINDS: readonly S3PeerKind[] = ['fauxqs', 's3rver'];

/** What a fault rule sees of a request (`query` holds `uploads`, `partNumber`, `uploadId`…). */
export interface S3PeerRequest {
  method: string;
  /** The object key within the bucket ('' for bucket-level requests). */
  key: string;
  query: URLSearchParams;
}

/**
 * What to do with a request: undefined = serve it; a status = answer it so (an S3 error body);
 * 'drop' = cut the connection part-way through the request body, before the server sees it;
 * 'drop-answer' = let the server do it, then cut the connection instead of answering;
 * 'cut-answer' = let the server answer, and cut the connection part-way through the answer's body.
 */
export type S3Fault = number | 'drop' | 'drop-answer' | 'cut-answer' | undefined;

export interface S3Peer {
  kind: S3PeerKind;
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Store settings for this peer (`s3://<bucket>/<prefix>`). */
  settings(prefix?: string): S3StoreSettings;
  /** The same as serve/worker/doctor flags (`--storage-url`, `--s3-*`), for tests that start the CLI. */
  flags(prefix?: string): string[];
  /** Every request served or failed so far (method, key, query), oldest first. */
  requests: S3PeerRequest[];
  /** Fails the requests `rule` picks until replaced; null = serve everything. */
  fault(rule: ((req: S3PeerRequest) => S3Fault) | null): void;
  stop(): Promise<void>;
}

/** The storage flags of an S3 peer as config values (what `peer.flags()` says on a command line). */
export const s3Settings = (peer: S3Peer, prefix: string): Partial<Config> => ({
  storageUrl: `s3://${peer.bucket}/${prefix}`,
  s3Endpoint: peer.endpoint,
  s3Region: peer.region,
  s3AccessKeyId: peer.accessKeyId,
  s3SecretAccessKey: peer.secretAccessKey,
  s3ForcePathStyle: true,
  s3Checksums: peer.kind === 's3rver' ? 'when_required' : 'when_supported',
});

/** Is this request part of a multipart upload's body (UploadPart)? */
export const isUploadPart = (r: S3PeerRequest) => r.method === 'PUT' && r.query.has('partNumber');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startS3Peer(kind: S3PeerKind, bucket = 'clinicbox-test'): Promise<S3Peer> {
  const started = kind === 'fauxqs' ? await fauxqsHandler(bucket) : await s3rverHandler(bucket);
  const requests: S3PeerRequest[] = [];
  let rule: ((req: S3PeerRequest) => S3Fault) | null = null;
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://peer');
    const path = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const key = path.startsWith(`${bucket}/`) ? path.slice(bucket.length + 1) : '';
    const request = { method: req.method ?? 'GET', key, query: url.searchParams };
    requests.push(request);
    const fault = rule?.(request);
    if (fault === 'drop') {
      // Take a little of the body first, so the cut falls in the middle of the transfer.
      let seen = 0;
      req.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen >= 64 * 1024) req.socket.destroy();
      });
      req.on('end', () => req.socket.destroy());
      return;
    }
    if (typeof fault === 'number') {
      req.resume();
      req.on('end', () => {
        const code = fault === 503 ? 'SlowDown' : 'InternalError';
        res.writeHead(fault, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected by the test</Message></Error>`,
        );
      });
      return;
    }
    if (fault === 'drop-answer') {
      res.writeHead = () => {
        req.socket.destroy();
        return res;
      };
    }
    if (fault === 'cut-answer') cutAfter(res, 64 * 1024);
    started.handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const region = 'us-east-1';
  // s3rver checks signatures against this pair; fauxqs accepts any.
  const accessKeyId = 'S3RVER';
  const secretAccessKey = 'S3RVER';
  const checksums = kind === 's3rver' ? 'when_required' : 'when_supported';

  return {
    kind,
    endpoint,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    requests,
    settings: (prefix = '') => ({
      url: `s3://${bucket}${prefix ? `/${prefix}` : ''}`,
      endpoint,
      region,
      accessKeyId,
      secretAccessKey,
      forcePathStyle: true,
      checksums,
    }),
    flags: (prefix = '') => [
      `--storage-url=s3://${bucket}${prefix ? `/${prefix}` : ''}`,
      `--s3-endpoint=${endpoint}`,
      `--s3-region=${region}`,
      `--s3-access-key-id=${accessKeyId}`,
      `--s3-secret-access-key=${secretAccessKey}`,
      '--s3-force-path-style',
      ...(checksums === 'when_required' ? ['--s3-checksums=when_required'] : []),
    ],
    fault(next) {
      rule = next;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await started.stop();
    },
  };
}

/** Sends the first `limit` bytes of the answer's body, then destroys the connection. */
function cutAfter(res: ServerResponse, limit: number): void {
  let sent = 0;
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  const pass = (chunk: unknown): boolean => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return true;
    const bytes = Buffer.from(chunk as Buffer);
    const room = Math.max(0, limit - sent);
    sent += bytes.length;
    if (bytes.length <= room) return write(bytes);
    if (room > 0) write(bytes.subarray(0, room));
    // Let what was written leave, then cut: the client sees a body that stops short.
    setImmediate(() => res.socket?.destroy());
    return false;
  };
  res.write = ((chunk: unknown) => pass(chunk)) as typeof res.write;
  res.end = ((chunk?: unknown) => {
    if (pass(chunk)) setImmediate(() => res.socket?.destroy());
    return res;
  }) as typeof res.end;
}

async function fauxqsHandler(bucket: string): Promise<{ handler: Handler; stop(): Promise<void> }> {
  const app = buildApp({ logger: false, host: '127.0.0.1' });
  await app.ready();
  // The app's own S3 route creates the bucket, as a client would.
  const made = await app.inject({ method: 'PUT', url: `/${bucket}` });
  if (made.statusCode >= 300)
    throw new Error(`fauxqs: CreateBucket answered ${made.statusCode}: ${made.body}`);
  return { handler: app.routing as Handler, stop: () => app.close() };
}

interface S3rverInstance {
  configureBuckets(): Promise<void>;
  callback(): Handler;
  logger: { close(): void; exceptions: { unhandle(): void } };
}

async function s3rverHandler(bucket: string): Promise<{ handler: Handler; stop(): Promise<void> }> {
  const require = createRequire(import.meta.url);
  const S3rver = require('s3rver') as new (options: object) => S3rverInstance;
  const directory = await mkdtemp(join(tmpdir(), 'clinicbox-s3rver-'));
  const s3rver = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket }] });
  await s3rver.configureBuckets();
  return {
    handler: s3rver.callback(),
    async stop() {
      s3rver.logger.exceptions.unhandle();
      s3rver.logger.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
