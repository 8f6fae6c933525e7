import type { Db } from '../../db/client.ts';
import type { Key } from '../../lib/crypto.ts';
import type { Logger } from '../../lib/log.ts';
import { sealPending } from './append-audit-row.ts';
import { findOldestUnsealedAuditRow } from './audit.repo.ts';

/** How many rows one seal transaction chains at most (larger backlogs take several). */
const BATCH = 2000;

export interface AuditSealer {
  /** Seals soon (debounced): called after each audited transaction commits. */
  kick(): void;
  /** Seals every row committed before the call; resolves when they are sealed. */
  sealAll(): Promise<number>;
  /** Starts the periodic sweep (every serving or worker process runs one). */
  start(): void;
  /** Stops kicks and the sweep, then seals what is pending one last time. */
  stop(): Promise<void>;
}

/*
 * The audit sealer: chains the rows audited transactions inserted unsealed, off their critical
 * path. Kicked `delayMs` after a commit, so the rows of many concurrent transactions are sealed
 * in one transaction (one lock, one fsync); swept every `sweepMs` by every running instance, so
 * rows whose instance died before sealing are sealed by another, or at the next start. Several
 * sealers (instances) are safe: each seal takes the audit lock (sealPending). A failed seal is
 * logged and retried by the next kick or sweep; rows stay committed meanwhile.
 */
export function auditSealer(deps: {
  db: Db;
  chainKey: Key;
  log?: Logger | undefined;
  delayMs?: number;
  sweepMs?: number;
}): AuditSealer {
  const delayMs = deps.delayMs ?? 2;
  const sweepMs = deps.sweepMs ?? 1000;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let sweep: ReturnType<typeof setInterval> | null = null;
  // The seals of this process, one after another.
  let chain: Promise<unknown> = Promise.resolve();
  // A kicked seal has not started yet: further kicks join it.
  let pending = false;
  let stopped = false;

  const sealBatches = async (): Promise<number> => {
    // Nothing pending (most sweeps): no transaction, no lock.
    if (!(await findOldestUnsealedAuditRow(deps.db.reader))) return 0;
    let sealed = 0;
    for (;;) {
      // Lazy commits: a seal adds no WAL flush for the audited saves' commits to wait behind.
      const n = await deps.db.tx((ctx) => sealPending(ctx, deps, BATCH, true));
      sealed += n;
      if (n < BATCH) return sealed;
    }
  };

  const enqueue = (onStart?: () => void): Promise<number> => {
    const next = chain.then(() => {
      onStart?.();
      return sealBatches();
    });
    chain = next.catch(() => {});
    return next;
  };

  const kick = () => {
    if (stopped || pending) return;
    pending = true;
    timer = setTimeout(() => {
      timer = null;
      if (stopped) return;
      enqueue(() => {
        pending = false;
      }).catch((e: unknown) => {
        if (!stopped) deps.log?.warn('audit rows not sealed yet (retried)', { error: (e as Error).message });
      });
    }, delayMs);
    timer.unref?.();
  };

  return {
    kick,
    sealAll: () => enqueue(),
    start() {
      if (sweep || stopped) return;
      kick();
      sweep = setInterval(kick, sweepMs);
      sweep.unref?.();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      if (sweep) clearInterval(sweep);
      timer = null;
      sweep = null;
      await enqueue().catch((e: unknown) => {
        deps.log?.warn('audit rows left unsealed at stop (sealed at the next start)', {
          error: (e as Error).message,
        });
      });
    },
  };
}
