import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { defineMessages } from '../area.ts';
import type { MessageResolver } from '../notifications/index.ts';
import catalogue from './accounts.messages.json' with { type: 'json' };
import { findStaffMemberById } from './accounts.repo.ts';

const messages = defineMessages(catalogue);

/** To a staff member whose second-factor codes were locked after ten wrong ones (maybe not theirs). */
export const secondFactorLockedMessage = messages['staff-second-factor-locked'];

const lockedParams = z.object({ accountId: z.string() });

/** The accounts area's messages, resolved at send time (a member deactivated meanwhile gets nothing). */
export function accountsMessages(deps: { db: Db; baseUrl: string }): MessageResolver {
  return {
    messages: [secondFactorLockedMessage],
    async resolve(_type, params) {
      const member = await findStaffMemberById(deps.db.reader, lockedParams.parse(params).accountId);
      if (member?.status !== 'active') return null;
      return { vars: { staffName: member.name, link: `${deps.baseUrl}/staff/account` } };
    },
  };
}
