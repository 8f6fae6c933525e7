import type { DbCtx } from '../../db/client.ts';
import { fieldIssue, validationFailed } from '../../lib/errors.ts';
import { typeFromBytes } from '../../lib/sniff-bytes.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { BillingDeps } from './billing.deps.ts';

import {
  deleteBillingSettingsValue,
  findBillingSettingsValue,
  upsertBillingSettings,
} from './billing.repo.ts';

/**
 * The clinic's logo, printed at the top right of every invoice, credit note and receipt (issue 20
 * item 4). An admin (settings.manage) uploads a PNG or JPEG of at most 512 KB — the type told from
 * its bytes (`file-type`'s magic numbers, as uploaded documents are), never from its name — or
 * removes it; either is audited as a change of the billing settings. Anything else is refused
 * with a clear message and nothing is changed. Kept as a data URL in its own settings row
 * (billing_settings, key `logo`), so it travels with the database (backups, PostgreSQL) like any setting.
 */
export const MAX_LOGO_BYTES = 512 * 1024;

export interface ClinicLogo {
  type: 'png' | 'jpg';
  contentType: 'image/png' | 'image/jpeg';
  bytes: Uint8Array;
}

const kinds = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
} as const;

/** The logo, or null when there is none (or the stored value is not one). */
export async function readLogo(deps: Pick<BillingDeps, 'db'>, ctx?: DbCtx): Promise<ClinicLogo | null> {
  const stored = await findBillingSettingsValue(ctx ?? deps.db.reader, 'logo');
  const value = stored as { dataUrl?: unknown } | null;
  const m =
    typeof value?.dataUrl === 'string' && /^data:(image\/png|image\/jpeg);base64,/.exec(value.dataUrl);
  if (!m) return null;
  const contentType = m[1] as ClinicLogo['contentType'];
  return {
    type: kinds[contentType],
    contentType,
    bytes: new Uint8Array(Buffer.from((value!.dataUrl as string).slice(m[0].length), 'base64')),
  };
}

const refuse = (message: Capitalize<string>) => validationFailed([fieldIssue('logo', message)], message);

/** Sets the logo from an uploaded file's bytes (settings.manage); 422 on anything but a PNG or JPEG. */
export async function setLogo(deps: BillingDeps, actor: Actor, bytes: Uint8Array): Promise<ClinicLogo> {
  await staffWhoCan(deps.db.reader, actor, 'settings.manage');
  if (bytes.length === 0) throw refuse('Choose an image file for the logo.');
  if (bytes.length > MAX_LOGO_BYTES)
    throw refuse(`The logo is too large (${Math.ceil(bytes.length / 1024)} KB): at most 512 KB.` as const);
  const found = await typeFromBytes(bytes);
  const contentType = found && found.mime in kinds ? (found.mime as ClinicLogo['contentType']) : null;
  if (!contentType || !(await embeddable(bytes, contentType)))
    throw refuse('The logo must be a PNG or JPEG image.');
  const logo: ClinicLogo = { type: kinds[contentType], contentType, bytes };
  await deps.db.tx(async (ctx) => {
    await upsertBillingSettings(
      ctx,
      'logo',
      { dataUrl: `data:${contentType};base64,${Buffer.from(bytes).toString('base64')}` },
      deps.clock.now(),
    );
    await deps.audit.record(ctx, actor, {
      action: 'billing.update-logo',
      entity: 'settings',
      entityId: 'billing',
      details: { type: logo.type, bytes: bytes.length },
    });
  });
  return logo;
}

/** Removes the logo (settings.manage); audited only when there was one. */
export async function removeLogo(deps: BillingDeps, actor: Actor): Promise<void> {
  await staffWhoCan(deps.db.reader, actor, 'settings.manage');
  await deps.db.tx(async (ctx) => {
    if (!(await deleteBillingSettingsValue(ctx, 'logo'))) return;
    await deps.audit.record(ctx, actor, {
      action: 'billing.remove-logo',
      entity: 'settings',
      entityId: 'billing',
    });
  });
}

/**
 * Whether pdf-lib reads the image (the magic number alone passes a truncated or broken file, which
 * every invoice would then print without a logo).
 */
async function embeddable(bytes: Uint8Array, contentType: ClinicLogo['contentType']): Promise<boolean> {
  const { PDFDocument } = await import('pdf-lib');
  try {
    const pdf = await PDFDocument.create();
    await (contentType === 'image/png' ? pdf.embedPng(bytes) : pdf.embedJpg(bytes));
    return true;
  } catch {
    return false;
  }
}
