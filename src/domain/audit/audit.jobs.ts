import type { Db } from '../../db/client.ts';
import { upkeepJob, upkeepJobType } from '../../jobs/index.ts';
import type { AccountsService } from '../accounts/index.ts';
import type { Notifier } from '../notifications/index.ts';
import { auditBrokenMessage, auditHeadMessage } from './audit.messages.ts';
import type { AuditService } from './audit.service.ts';

export const EMAIL_AUDIT_HEAD = upkeepJobType('audit.email-head', '41 4 * * *');

export function auditJobs(deps: {
  db: Db;
  audit: AuditService;
  accounts: Pick<AccountsService, 'list'>;
  notifier: Pick<Notifier, 'dispatch'>;
}) {
  /*
   * The anchor kept elsewhere: every night, walks the whole chain and emails each active admin
   * its head (row id and hash), or the first broken row. A re-run of the same job sends nothing
   * twice (the dispatch key names the job); an empty log sends nothing.
   */
  return upkeepJob(EMAIL_AUDIT_HEAD, async ({ job }) => {
    const result = await deps.audit.verify();
    if (result.ok && result.headId === null) return;
    const admins = (await deps.accounts.list()).filter((a) => a.role === 'admin' && a.status === 'active');
    await deps.db.tx(async (ctx) => {
      for (const admin of admins) {
        const to = { staffId: admin.id };
        const key = `audit-head:${job.id}:${admin.id}`;
        await deps.notifier.dispatch(
          ctx,
          result.ok
            ? {
                type: auditHeadMessage.type,
                to,
                key,
                params: { headId: result.headId, headHash: result.head, rows: result.rows },
              }
            : { type: auditBrokenMessage.type, to, key, params: { brokenId: result.brokenAt!.id } },
        );
      }
    });
  });
}
