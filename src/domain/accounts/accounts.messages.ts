import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { defineMessage } from '../area.ts';
import type { MessageResolver } from '../notifications/index.ts';
import { findStaffMemberById } from './accounts.repo.ts';

/** To a staff member whose second-factor codes were locked after ten wrong ones (maybe not theirs). */
export const secondFactorLockedMessage = defineMessage({
  type: 'staff-second-factor-locked',
  label: 'Staff: second factor locked after wrong codes',
  essential: true,
  channels: ['email'],
  variables: ['clinicName', 'staffName', 'link'],
  examples: { staffName: 'Sam', link: 'https://clinic.example/staff/account' },
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: your second factor is locked',
        body: 'Hello {{staffName}},\n\nSomeone entered 10 wrong codes for your second factor within an hour, so Clinicbox refuses codes for your account for the next hour. A passkey still signs you in.\n\nIf it was not you, someone knows your password: change it now on your account page, and tell an administrator.\n{{link}}',
      },
      fr: {
        subject: '{{clinicName}} : votre second facteur est bloqué',
        body: 'Bonjour {{staffName}},\n\nQuelqu’un a saisi 10 codes erronés pour votre second facteur en une heure : Clinicbox refuse donc les codes pour votre compte pendant une heure. Une clé d’accès vous connecte toujours.\n\nSi ce n’était pas vous, quelqu’un connaît votre mot de passe : changez-le dès maintenant depuis votre compte, et prévenez un administrateur.\n{{link}}',
      },
    },
  },
});

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
