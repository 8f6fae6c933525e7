import type { DbCtx } from '../../db/client.ts';
import { fieldIssue, validationFailed } from '../../lib/errors.ts';
import { findPatientById, patientScope } from '../patients/index.ts';
import type { NewInvoiceRow } from './billing.repo.ts';
import type { PayerData } from './billing.schema.ts';

type PayerColumns = Pick<NewInvoiceRow, 'payerKind' | 'payerPatientId' | 'payerName' | 'payerAddress'>;

/**
 * Who pays: the patient (their name and address on record unless given), a guardian (a patient
 * record who is the patient's guardian now) or a third party — an insurer, an employer — named
 * with an address.
 */
export async function payerColumns(
  ctx: DbCtx,
  now: Date,
  patientId: string,
  payer: PayerData | undefined,
): Promise<PayerColumns> {
  const kind = payer?.kind ?? 'patient';
  if (kind === 'third_party') {
    const issues = [
      ...(payer?.name ? [] : [fieldIssue('payer.name', 'Name the payer.')]),
      ...(payer?.address ? [] : [fieldIssue('payer.address', 'Give the payer’s address.')]),
    ];
    if (issues.length) throw validationFailed(issues);
    return { payerKind: kind, payerPatientId: null, payerName: payer!.name!, payerAddress: payer!.address! };
  }
  let payerId = patientId;
  if (kind === 'guardian') {
    const guardianId = payer?.patientId;
    if (!guardianId || !(await patientScope(ctx, guardianId, now)).has(patientId) || guardianId === patientId)
      throw validationFailed([fieldIssue('payer.patientId', 'Choose a guardian of this patient.')]);
    payerId = guardianId;
  }
  const person = await findPatientById(ctx, payerId);
  if (!person) throw validationFailed([fieldIssue('patientId', 'No such patient.')]);
  return {
    payerKind: kind,
    payerPatientId: person.id,
    payerName: payer?.name || `${person.firstName} ${person.lastName}`,
    payerAddress: payer?.address ?? person.address ?? '',
  };
}
