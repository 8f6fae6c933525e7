import type { AccountsService } from '../accounts/index.ts';
import { type Core, defineArea } from '../area.ts';
import type { Notifier } from '../notifications/index.ts';
import { auditJobs } from './audit.jobs.ts';
import { auditMessages } from './audit.messages.ts';
import { type AuditService, auditService } from './audit.service.ts';

export { EMAIL_AUDIT_HEAD } from './audit.jobs.ts';
export { auditBrokenMessage, auditHeadMessage } from './audit.messages.ts';
export { type Actor, type AuditEvent, GENESIS_HASH, systemActor } from './audit.schema.ts';
export {
  type AuditRow,
  type AuditService,
  auditService,
  type ExpectedHead,
  type VerifyResult,
} from './audit.service.ts';

/**
 * The audit log: every read or change of health data leaves a row, sealed into a chain by a hash
 * keyed with the clinic master key soon after it commits. At start a log from before the master
 * key is continued keyed, a newest row that does not verify with this key (another clinic's key,
 * or a changed row) is reported at once, and sealing starts: rows left unsealed by a process that
 * died are sealed now, and every second after (`stopSealing` when the app stops).
 */
export const auditArea = defineArea({
  name: 'audit',
  build: ({ db, clock, keys, log }: Core) => {
    const audit = auditService({
      db,
      clock,
      chainKey: keys.auditChain,
      retiredChainKeys: keys.retiredAuditChain,
      log,
    });
    return {
      services: { audit },
      async start() {
        const head = await audit.keyChain();
        if (head === 'unkeyed') log.warn('the audit log from before the master key is now continued keyed');
        if (head === 'wrong') {
          log.error(
            'the newest audit row does not verify with this master key: if this database comes from another machine, give its master key (--master-key-file or CLINICBOX_MASTER_KEY); else run clinicbox audit verify',
          );
        }
        audit.startSealing();
      },
    };
  },
});

/**
 * The audit log's anchor kept elsewhere: a nightly job emails admins the chain's head. An area of
 * its own, listed after notifications, since the audit area comes before every other.
 */
export const auditAnchorArea = defineArea({
  name: 'audit-anchor',
  build: ({
    db,
    audit,
    staff,
    notifications,
  }: Core & {
    audit: AuditService;
    staff: { accounts: Pick<AccountsService, 'list'> };
    notifications: { notifier: Pick<Notifier, 'dispatch'> };
  }) => {
    const jobs = auditJobs({ db, audit, accounts: staff.accounts, notifier: notifications.notifier });
    return {
      services: {},
      jobs,
      messages: [auditMessages()],
    };
  },
});
