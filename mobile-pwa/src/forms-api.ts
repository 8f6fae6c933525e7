import type { TemplateField } from '../../src/domain/chart/chart.schema.ts';
import { type Answer, api } from './api.ts';

/**
 * The patient's forms over `/api/v1/me/forms` (issue 17, §4): the list, one form with its
 * template's fields and the answers saved so far, an autosave of the answers that changed
 * (`version` checked: 409 version_conflict when another save came first, 409 form_submitted once
 * it is sent) and the submission with its signature.
 */

/** A field of the form's template (types only: nothing of src/ is bundled). */
export type { TemplateField } from '../../src/domain/chart/chart.schema.ts';

export type FormStatus = 'sent' | 'in_progress' | 'submitted' | 'reviewed';
/** Answers by field id; the shape of each is the field type's (src/domain/chart/answers.ts). */
export type Answers = Record<string, unknown>;

/** A form in the patient's list. */
export interface FormSummaryJson {
  id: string;
  /** Whose form: the patient's own or a dependant's. */
  patientId?: string;
  templateId: string;
  name: string;
  status: FormStatus;
  appointmentId: string | null;
  sentAt: string;
  submittedAt: string | null;
  version: number;
}

/** One form: its template version's fields and what was answered so far. */
export interface FormJson {
  id: string;
  patientId?: string;
  templateId: string;
  name: string;
  status: FormStatus;
  version: number;
  answers: Answers;
  fields: TemplateField[];
  submittedAt?: string | null;
}

/** The signature sent with a form: drawn on the screen (a PNG), or a typed name agreed to. */
export type FormSignature = { kind: 'drawn'; image: string } | { kind: 'typed'; name: string; agreed: true };

/** Whether the patient still has to fill it in. */
export const isOpenForm = (f: { status: FormStatus }): boolean =>
  f.status === 'sent' || f.status === 'in_progress';

export const formPath = (id: string): string => `/api/v1/me/forms/${encodeURIComponent(id)}`;

export const listMyForms = (): Promise<Answer<{ forms: FormSummaryJson[] }>> =>
  api.get<{ forms: FormSummaryJson[] }>('/api/v1/me/forms');

export const getMyForm = (id: string): Promise<Answer<{ form: FormJson }>> =>
  api.get<{ form: FormJson }>(formPath(id));

/** Saves the answers that changed (null clears one) over the saved ones, at the version read. */
export const saveMyFormAnswers = (
  id: string,
  version: number,
  answers: Answers,
): Promise<Answer<{ form: FormJson }>> =>
  api.put<{ form: FormJson }>(`${formPath(id)}/answers`, { version, answers });

/** Sends the form; the signature is needed when its template has a signature field. */
export const submitMyForm = (
  id: string,
  version: number,
  signature: FormSignature | null,
): Promise<Answer<{ form: FormJson }>> =>
  api.post<{ form: FormJson }>(`${formPath(id)}/submit`, signature ? { version, signature } : { version });

/** Whether the form is signed when it is sent (its template has a signature field). */
export const needsSignature = (form: { fields: readonly TemplateField[] }): boolean =>
  form.fields.some((f) => f.type === 'signature');

/**
 * Reads each form not yet kept by the service worker, so it keeps it (network-first reads are
 * saved as they pass): a form the patient has not opened yet can be filled in offline too. Forms
 * already kept are not read again (each read is audited).
 */
export async function keepFormsForOffline(forms: readonly { id: string }[]): Promise<void> {
  if (!('caches' in window) || !navigator.serviceWorker?.controller) return;
  for (const f of forms) {
    try {
      if (!(await caches.match(formPath(f.id)))) await getMyForm(f.id);
    } catch {
      // Offline or refused: it is read again when the patient opens it.
    }
  }
}
