import { columnsMergeStep } from '../patient-merge.ts';

/**
 * The billing area's part of a patient merge: invoices (also those a guardian pays), payments and
 * credit move to the record kept. An issued invoice's payer name and address stay as printed.
 */
export const billingMergeStep = columnsMergeStep('billing', {
  invoices: (t) => t.invoices.patientId,
  payers: (t) => t.invoices.payerPatientId,
  payments: (t) => t.payments.patientId,
  credits: (t) => t.patientCredits.patientId,
});
