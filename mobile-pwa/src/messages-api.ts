import type { MessageView, ThreadDetail, ThreadSummary } from '../../src/domain/messaging/index.ts';
import { type Answer, api } from './api.ts';

/**
 * The patient's conversations with the clinic over `/api/v1/me/threads` (issue 19). The list and
 * each thread opened are kept by the service worker (network first), so they show offline.
 */

export type {
  MessageView as MessageJson,
  ThreadSummary as ThreadJson,
} from '../../src/domain/messaging/index.ts';

export interface ThreadsAnswer {
  threads: ThreadSummary[];
  unread: number;
  settings: { patientsMayStart: boolean; replyWithinDays: number | null };
}

export const listMyThreads = (): Promise<Answer<ThreadsAnswer>> =>
  api.get<ThreadsAnswer>('/api/v1/me/threads');

export const readMyThread = (id: string): Promise<Answer<ThreadDetail>> =>
  api.get<ThreadDetail>(`/api/v1/me/threads/${encodeURIComponent(id)}`);

export const startThread = (body: {
  subject: string;
  text: string;
  documentIds?: string[];
  patientId?: string;
}): Promise<Answer<{ thread: ThreadSummary; message: MessageView }>> => api.post('/api/v1/me/threads', body);

export const replyToThread = (id: string, body: { text: string; documentIds?: string[] }) =>
  api.post<{ message: MessageView }>(`/api/v1/me/threads/${encodeURIComponent(id)}/messages`, body);

export const markThreadRead = (id: string) =>
  api.post<undefined>(`/api/v1/me/threads/${encodeURIComponent(id)}/read`);
