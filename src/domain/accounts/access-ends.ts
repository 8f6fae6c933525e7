import type { DbCtx } from '../../db/client.ts';
import type { Actor } from '../audit/index.ts';

/**
 * What else ends when a member's access does (a deactivation, a role change), besides their
 * sessions: steps another area adds when it is built — scheduling ends the member's calendar
 * feed. They run in the transaction of the change, so the access and what it opened end
 * together. `reason` is the change's audit action (`staff.deactivate`, `staff.change-role`).
 */
export type AccessEndStep = (ctx: DbCtx, actor: Actor, accountId: string, reason: string) => Promise<void>;

export interface AccessEnds {
  /** Another area's step (added once, at build time). */
  add(step: AccessEndStep): void;
  run: AccessEndStep;
}

export function accessEnds(): AccessEnds {
  const steps: AccessEndStep[] = [];
  return {
    add: (step) => {
      steps.push(step);
    },
    async run(ctx, actor, accountId, reason) {
      for (const step of steps) await step(ctx, actor, accountId, reason);
    },
  };
}
