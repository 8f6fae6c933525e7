import type { DocumentCategory, DocumentView as DocumentJson } from '../../src/domain/documents/index.ts';
import { type Answer, ApiError, api, apiLanguage, SESSION_LOST } from './api.ts';

/**
 * The patient's documents over `/api/v1/me/documents`: the list (what the clinic shared and what
 * was sent, the patient's and their dependants'), the content's address (opened or downloaded by
 * the browser itself), taking back an upload not yet reviewed, and an upload that reports its
 * progress — fetch cannot, so the upload alone goes through XMLHttpRequest.
 */

/** A document as the API answers it (types only: nothing of src/ is bundled). */
export type { DocumentCategory, DocumentView as DocumentJson } from '../../src/domain/documents/index.ts';

/** What a patient may file their own upload under (consents are the clinic's forms). */
export const patientUploadCategories: readonly DocumentCategory[] = [
  'other',
  'id-insurance',
  'referral',
  'lab-result',
  'imaging',
  'letter',
];

export const listMyDocuments = (): Promise<Answer<{ documents: DocumentJson[] }>> =>
  api.get<{ documents: DocumentJson[] }>('/api/v1/me/documents');

/**
 * Where the browser reads a document's bytes: inline for PDFs and images (else a download), or
 * always as a download.
 */
export const documentContentUrl = (id: string, as: 'open' | 'download' = 'open'): string =>
  `/api/v1/me/documents/${encodeURIComponent(id)}/content${as === 'download' ? '?download=1' : ''}`;

export interface UploadFields {
  title: string;
  category: DocumentCategory;
  /** A dependant's id, when a guardian sends for them (none: for the signed-in patient). */
  patientId?: string | undefined;
}

/** Takes back a document the patient sent that the clinic has not reviewed yet (204). */
export const deleteMyDocument = (id: string): Promise<Answer<undefined>> =>
  api.delete<undefined>(`/api/v1/me/documents/${encodeURIComponent(id)}`);

export interface Upload {
  /** Settles with the stored document, or an ApiError (`aborted` when cancelled). */
  done: Promise<DocumentJson>;
  cancel(): void;
}

/**
 * Sends one file as multipart (`file` last, so the server reads the fields before the bytes),
 * calling `onProgress` with the share sent so far (0–1). Errors are ApiErrors as `request` makes
 * them: the server's code and message, `offline` when nothing answered, SESSION_LOST on a 401.
 */
export function uploadMyDocument(
  file: Blob,
  fileName: string,
  fields: UploadFields,
  onProgress: (sent: number) => void,
): Upload {
  const xhr = new XMLHttpRequest();
  const form = new FormData();
  form.set('title', fields.title);
  form.set('category', fields.category);
  if (fields.patientId) form.set('patientId', fields.patientId);
  form.set('file', file, fileName);
  const done = new Promise<DocumentJson>((resolve, reject) => {
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'offline', 'offline')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'aborted')));
    xhr.addEventListener('load', () => {
      let json: {
        document?: DocumentJson;
        error?: { code: string; message: string; issues?: { path: string; message: string }[] };
      } | null = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        json = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && json?.document) {
        onProgress(1);
        resolve(json.document);
        return;
      }
      if (xhr.status === 401) window.dispatchEvent(new Event(SESSION_LOST));
      reject(
        new ApiError(
          xhr.status,
          json?.error?.code ?? 'error',
          json?.error?.message ?? xhr.statusText,
          json?.error?.issues,
        ),
      );
    });
  });
  xhr.open('POST', '/api/v1/me/documents');
  xhr.withCredentials = true;
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.setRequestHeader('Accept-Language', apiLanguage());
  xhr.send(form);
  return { done, cancel: () => xhr.abort() };
}
