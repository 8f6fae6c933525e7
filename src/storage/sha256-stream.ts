import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * A SHA-256 computed on a worker thread, so that hashing a large file does not share the event
 * loop's core with its encryption and I/O. The bytes are copied into 512 KiB buffers that move to
 * the worker and come back empty (transferred, never cloned), at most `IN_FLIGHT` of them per hash:
 * `update` resolves once there is room. A file that ends within its first buffer is hashed on this
 * thread and never reaches the worker.
 *
 * One worker serves the process, started on the first large file and referenced only while this
 * thread waits on it. Its code is a string evaluated in the worker (no file beside this one), so the Bun
 * binary runs it as Node does. If the worker dies or errors, every open hash fails: `digest`
 * rejects, so a write fails and a read errors instead of ending as if it were checked.
 */

const BUFFER_BYTES = 512 * 1024;
const IN_FLIGHT = 4;

const WORKER_CODE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const open = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    let hash = open.get(m.id);
    if (!hash) open.set(m.id, (hash = createHash('sha256')));
    hash.update(new Uint8Array(m.buffer, 0, m.length));
    parentPort.postMessage({ id: m.id, op: 'ack', buffer: m.buffer }, [m.buffer]);
  } else if (m.op === 'digest') {
    const hash = open.get(m.id) ?? createHash('sha256');
    open.delete(m.id);
    parentPort.postMessage({ id: m.id, op: 'digest', hex: hash.digest('hex') });
  } else if (m.op === 'drop') {
    open.delete(m.id);
  } else if (m.op === 'crash') {
    throw new Error('asked to crash (a test)');
  }
});
`;

interface Reply {
  id: number;
  op: 'ack' | 'digest';
  buffer?: ArrayBuffer;
  hex?: string;
}

interface Waiting {
  onAck(buffer: ArrayBuffer): void;
  onDigest(hex: string): void;
  onFail(error: Error): void;
}

class HashWorker {
  readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private holds = 0;
  dead: Error | null = null;

  constructor() {
    // No flags of this process (a loader, --input-type=module) — the code is plain CommonJS.
    this.worker = new Worker(WORKER_CODE, { eval: true, execArgv: [] });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const waiting = this.waiting.get(reply.id);
      if (!waiting) return;
      if (reply.op === 'ack') waiting.onAck(reply.buffer!);
      else waiting.onDigest(reply.hex!);
    });
    const fail = (error: Error) => {
      if (this.dead) return;
      this.dead = error;
      if (shared === this) shared = null;
      for (const waiting of this.waiting.values()) waiting.onFail(error);
      this.waiting.clear();
    };
    this.worker.on('error', (e) => fail(new Error(`the SHA-256 worker failed: ${e.message}`)));
    this.worker.on('exit', (code) => fail(new Error(`the SHA-256 worker stopped (exit ${code})`)));
  }

  open(waiting: Waiting): number {
    const id = this.nextId++;
    this.waiting.set(id, waiting);
    return id;
  }

  close(id: number): void {
    this.waiting.delete(id);
  }

  /**
   * Referenced only while this thread waits on it (for room or a digest), so that a command awaiting
   * a digest does not end for want of work, and a hash left open never keeps the process alive.
   */
  hold<T>(waiting: Promise<T>): Promise<T> {
    if (this.holds++ === 0) this.worker.ref();
    const release = () => {
      if (--this.holds === 0) this.worker.unref();
    };
    waiting.then(release, release);
    return waiting;
  }

  post(message: object, transfer?: ArrayBuffer[]): void {
    this.worker.postMessage(message, transfer);
  }
}

let shared: HashWorker | null = null;
/** Emptied buffers kept for the next hashes. */
const spare: ArrayBuffer[] = [];

function worker(): HashWorker {
  shared ??= new HashWorker();
  return shared;
}

/** The worker's thread, for tests that make it fail (`terminate`, or a `crash` message). */
export function sha256WorkerForTests(): Worker {
  return worker().worker;
}

export interface Sha256Stream {
  /** Adds bytes (copied: the caller may reuse them); resolves when more may be added. */
  update(bytes: Buffer): Promise<void> | undefined;
  /** The hex digest of everything added; rejects when the worker failed. Ends the hash. */
  digest(): Promise<string>;
  /** Ends the hash without a digest (a failed write or a dropped read). */
  drop(): void;
}

export function sha256Stream(): Sha256Stream {
  let buffer: ArrayBuffer | null = null;
  let filled = 0;
  let on: HashWorker | null = null;
  let id = 0;
  let inFlight = 0;
  let failed: Error | null = null;
  let room: { resolve(): void; reject(e: Error): void } | null = null;
  let result: { resolve(hex: string): void; reject(e: Error): void } | null = null;
  let ended = false;

  const fail = (e: Error) => {
    failed = e;
    room?.reject(e);
    room = null;
    result?.reject(e);
    result = null;
  };

  function send(): void {
    if (!on) {
      on = worker();
      id = on.open({
        onAck(returned) {
          inFlight--;
          if (spare.length < IN_FLIGHT) spare.push(returned);
          room?.resolve();
          room = null;
        },
        onDigest(hex) {
          result?.resolve(hex);
          result = null;
          on?.close(id);
        },
        onFail: fail,
      });
    }
    if (on.dead) throw on.dead;
    on.post({ id, op: 'update', buffer, length: filled }, [buffer!]);
    inFlight++;
    buffer = null;
    filled = 0;
  }

  return {
    update(bytes) {
      if (ended) throw new Error('the hash has ended');
      if (failed) return Promise.reject(failed);
      for (let at = 0; at < bytes.length; ) {
        buffer ??= spare.pop() ?? new ArrayBuffer(BUFFER_BYTES);
        const n = Math.min(bytes.length - at, BUFFER_BYTES - filled);
        new Uint8Array(buffer, filled, n).set(bytes.subarray(at, at + n));
        filled += n;
        at += n;
        if (filled === BUFFER_BYTES) send();
      }
      if (inFlight < IN_FLIGHT) return undefined;
      return on!.hold(
        new Promise<void>((resolve, reject) => {
          room = { resolve, reject };
        }),
      );
    },

    digest() {
      if (ended) return Promise.reject(new Error('the hash has ended'));
      ended = true;
      if (failed) return Promise.reject(failed);
      if (!on) {
        // Never more than one buffer: hashed here, the worker not involved.
        const hex = createHash('sha256')
          .update(new Uint8Array(buffer ?? new ArrayBuffer(0), 0, filled))
          .digest('hex');
        if (buffer) spare.push(buffer);
        return Promise.resolve(hex);
      }
      const digest = on.hold(
        new Promise<string>((resolve, reject) => {
          result = { resolve, reject };
        }),
      );
      try {
        if (filled) send();
        on.post({ id, op: 'digest' });
      } catch (e) {
        fail(e as Error);
      }
      return digest;
    },

    drop() {
      if (ended) return;
      ended = true;
      if (on && !on.dead) {
        on.post({ id, op: 'drop' });
        on.close(id);
      }
    },
  };
}
