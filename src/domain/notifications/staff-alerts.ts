import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { validated } from '../../lib/errors.ts';
import { setStaffBookingAlerts } from '../accounts/index.ts';
import type { Actor, AuditService } from '../audit/index.ts';

export const bookingAlertsInput = z.enum(['email', 'none'], { error: 'Choose email or none.' });

/** A staff member's own choice: an email when a patient books, moves or cancels online, or none. */
export function staffAlerts(deps: { db: Db; clock: Clock; audit: AuditService }) {
  return {
    async set(actor: Actor & { id: string }, input: unknown): Promise<void> {
      const bookingAlerts = validated(bookingAlertsInput, input);
      await deps.db.tx(async (ctx) => {
        await setStaffBookingAlerts(ctx, actor.id, bookingAlerts, deps.clock.now());
        await deps.audit.record(ctx, actor, {
          action: 'staff.set-booking-alerts',
          entity: 'staff_account',
          entityId: actor.id,
          details: { bookingAlerts },
        });
      });
    },
  };
}

export type StaffAlerts = ReturnType<typeof staffAlerts>;
