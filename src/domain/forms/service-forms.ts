import { fieldIssue, validated, validationFailed } from '../../lib/errors.ts';
import { actingStaff } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { FormsDeps } from './forms.deps.ts';
import { staffWho } from './forms.policy.ts';
import { listServiceFormIds, replaceServiceForms } from './forms.repo.ts';
import { serviceFormsInput } from './forms.schema.ts';

/** The form templates a service sends with each booking (any staff member may read them). */
export async function formsOfService(deps: FormsDeps, actor: Actor, serviceId: string): Promise<string[]> {
  await actingStaff(deps.db.reader, actor);
  return listServiceFormIds(deps.db.reader, serviceId);
}

/**
 * Sets the form templates a service sends with each booking (`{templateIds}`; admins:
 * `settings.manage`). Each must be a form template. Audited.
 */
export async function setFormsOfService(
  deps: FormsDeps,
  actor: Actor,
  serviceId: string,
  input: unknown,
): Promise<string[]> {
  await staffWho(deps, actor, 'settings.manage');
  const { templateIds } = validated(serviceFormsInput, input);
  const unique = [...new Set(templateIds)];
  const forms = new Set((await deps.templates.list(actor, 'form')).map((t) => t.id));
  const issues = unique.flatMap((id, i) =>
    forms.has(id) ? [] : [fieldIssue(`templateIds.${i}`, 'Choose form templates only.')],
  );
  if (issues.length) throw validationFailed(issues);
  await deps.db.tx(async (ctx) => {
    await replaceServiceForms(ctx, serviceId, unique, deps.clock.now());
    await deps.audit.record(ctx, actor, {
      action: 'service.forms',
      entity: 'service',
      entityId: serviceId,
      details: { count: unique.length },
    });
  });
  return unique;
}
