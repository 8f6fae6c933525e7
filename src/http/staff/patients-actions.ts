/**
 * The changes staff make on a patient's chart (`POST /staff/patients/:id/…`): invite to the app,
 * change the record, archive or unarchive, add an alert. Each redirects back to the chart with a
 * notice, or shows the chart again with what was typed and why it was refused. The domain audits
 * each change.
 */
import type { Context } from 'hono';
import { readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { recordChangeOf, typedRecord } from './patients-record.tsx';
import { chartPage } from './patients-view.tsx';

const idOf = (c: Context<AppEnv>) => (c.req.param() as { id: string }).id;
const chartOf = (id: string) => `/staff/patients/${encodeURIComponent(id)}`;

/** Invites the patient to the app: by email (the record's or another) or by SMS. */
export async function invitePatient(deps: HttpDeps, kit: RouteKit, c: Context<AppEnv>) {
  const id = idOf(c);
  const form = await readForm(c);
  const by = form.text('by') === 'sms' ? 'sms' : 'email';
  const typed = { email: form.text('email').trim(), phone: form.text('phone').trim() };
  return orRerender(
    async () => {
      await deps.patientInvites.invite(
        actorOf(c),
        id,
        by === 'sms' ? { phone: typed.phone } : typed.email ? { email: typed.email } : {},
      );
      return redirect(c, `${chartOf(id)}?notice=invited#h-invite`);
    },
    (refusal) =>
      chartPage(deps, kit, c, id, {
        status: refusal.status,
        invite: { by, ...typed, errors: { form: refusal.first, ...refusal.fields } },
      }),
    (e) => e.code === 'validation_failed' || e.code === 'already_registered',
  );
}

/** Changes the record (version-checked; each field changed kept in its history). */
export async function changeRecord(deps: HttpDeps, kit: RouteKit, c: Context<AppEnv>) {
  const id = idOf(c);
  const typed = typedRecord(await readForm(c));
  return orRerender(
    async () => {
      const before = Number(typed.version);
      const row = await deps.patients.update(actorOf(c), id, recordChangeOf(typed));
      const notice = row.version === before ? 'unchanged' : 'saved';
      return redirect(c, `${chartOf(id)}?notice=${notice}`);
    },
    (refusal) =>
      chartPage(deps, kit, c, id, {
        status: refusal.status,
        edit: {
          // After a conflict the form shows the record as it is now: what was typed would overwrite it.
          values: refusal.error.code === 'version_conflict' ? undefined : typed,
          errors: { form: refusal.first, ...refusal.fields },
        },
      }),
    (e) => e.code === 'validation_failed' || e.code === 'version_conflict',
  );
}

/** Archives the record (`archived`) or makes it active again, at the version the form holds if any. */
export async function setArchived(deps: HttpDeps, kit: RouteKit, c: Context<AppEnv>, archived: boolean) {
  const id = idOf(c);
  const version = Number((await readForm(c)).text('version'));
  const input = Number.isInteger(version) && version > 0 ? { version } : {};
  return orRerender(
    async () => {
      if (archived) await deps.patients.archive(actorOf(c), id, input);
      else await deps.patients.unarchive(actorOf(c), id, input);
      return redirect(c, `${chartOf(id)}?notice=${archived ? 'archived' : 'unarchived'}`);
    },
    (refusal) =>
      chartPage(deps, kit, c, id, { status: refusal.status, edit: { errors: { form: refusal.first } } }),
    (e) => e.code === 'version_conflict',
  );
}

/** Adds an alert: the domain checks who may write which kind (alerts.ts). */
export async function addAlert(deps: HttpDeps, kit: RouteKit, c: Context<AppEnv>) {
  const id = idOf(c);
  const form = await readForm(c);
  const typed = { kind: form.text('kind'), text: form.text('text'), severity: form.text('severity') };
  return orRerender(
    async () => {
      await deps.patients.addAlert(actorOf(c), id, {
        kind: typed.kind,
        text: typed.text,
        severity: typed.severity === '' ? null : typed.severity,
      });
      return redirect(c, `${chartOf(id)}?notice=alert-added#h-alerts`);
    },
    (refusal) =>
      chartPage(deps, kit, c, id, {
        status: refusal.status,
        alert: { typed, errors: { form: refusal.first, ...refusal.fields } },
      }),
    (e) => e.code === 'validation_failed' || e.code === 'forbidden',
  );
}
