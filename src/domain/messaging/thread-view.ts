import { listStaffByIds } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { DocumentRow } from '../documents/index.ts';
import { findPatientNames } from '../patients/index.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import { findReadMarkers, listAttachments, type MessageRow, type ThreadRow } from './messaging.repo.ts';
import type { AuthorKind, ThreadStatus } from './messaging.schema.ts';

/** A thread as lists show it (never a message's text). */
export interface ThreadSummary {
  id: string;
  patientId: string;
  patientName: string;
  subject: string;
  status: ThreadStatus;
  /** The staff member it is assigned to, or null: the front desk. */
  assignedTo: { id: string; name: string } | null;
  startedBy: 'patient' | 'staff' | 'sms';
  createdAt: string;
  lastMessageAt: string;
  closedAt: string | null;
  /** Whether the reader has a message from the other side not yet read. */
  unread: boolean;
}

/** A document attached to a message, as the reader may see it. */
export interface AttachmentView {
  documentId: string;
  title: string;
  contentType: string;
  size: number;
}

export interface MessageView {
  id: string;
  threadId: string;
  author: { kind: AuthorKind; id: string | null; name: string };
  /** Plain text: render it as text (links only), never as HTML. */
  text: string;
  createdAt: string;
  /** The attached documents the reader may see (others are left out). */
  attachments: AttachmentView[];
}

export interface ThreadDetail {
  thread: ThreadSummary;
  messages: MessageView[];
}

/** Who reads: a patient (unread = staff messages) or staff (unread = the patient's). */
export type Reader = { kind: 'patient' | 'staff'; id: string };

const fullName = (n: { firstName: string; lastName: string } | undefined) =>
  n ? `${n.firstName} ${n.lastName}`.trim() : '';

/** Lists' rows for `reader`, with names and unread flags. */
export async function summaries(
  deps: Pick<MessagingDeps, 'db'>,
  reader: Reader,
  threads: ThreadRow[],
): Promise<ThreadSummary[]> {
  const q = deps.db.reader;
  const names = await findPatientNames(q, [...new Set(threads.map((t) => t.patientId))]);
  const staffIds = [...new Set(threads.flatMap((t) => (t.assignedTo ? [t.assignedTo] : [])))];
  const staff = new Map((await listStaffByIds(q, staffIds)).map((s) => [s.id, s.name]));
  const reads = await findReadMarkers(
    q,
    threads.map((t) => t.id),
    reader.id,
  );
  return threads.map((t) => {
    const other = reader.kind === 'patient' ? t.lastStaffAt : t.lastPatientAt;
    const read = reads.get(t.id);
    return {
      id: t.id,
      patientId: t.patientId,
      patientName: fullName(names.get(t.patientId)),
      subject: t.subject,
      status: t.status as ThreadStatus,
      assignedTo: t.assignedTo ? { id: t.assignedTo, name: staff.get(t.assignedTo) ?? '' } : null,
      startedBy: t.startedBy as ThreadSummary['startedBy'],
      createdAt: t.createdAt.toISOString(),
      lastMessageAt: t.lastMessageAt.toISOString(),
      closedAt: t.closedAt?.toISOString() ?? null,
      unread: !!other && (!read || other.getTime() > read.getTime()),
    };
  });
}

/**
 * A thread with its messages for `reader`: author names, and the attachments the reader may see
 * (the documents area lists them, audited and by its own rules: a patient sees what was shared
 * with them or uploaded from the app; staff by their role's categories).
 */
export async function threadDetail(
  deps: Pick<MessagingDeps, 'db' | 'documents'>,
  reader: Reader,
  actor: Actor,
  thread: ThreadRow,
  messages: MessageRow[],
): Promise<ThreadDetail> {
  const q = deps.db.reader;
  const [summary] = await summaries(deps, reader, [thread]);
  const attached = await listAttachments(
    q,
    messages.map((m) => m.id),
  );
  const visible = new Map<string, DocumentRow>();
  if (attached.size > 0) {
    const docs =
      reader.kind === 'patient'
        ? await deps.documents.listOwn(actor as Actor & { id: string })
        : await deps.documents.list(actor, thread.patientId);
    for (const d of docs) visible.set(d.id, d);
  }
  const patientIds = messages.filter((m) => m.authorKind !== 'staff' && m.authorId).map((m) => m.authorId!);
  const staffIds = messages.filter((m) => m.authorKind === 'staff' && m.authorId).map((m) => m.authorId!);
  const patientNames = await findPatientNames(q, [...new Set([...patientIds, thread.patientId])]);
  const staffNames = new Map((await listStaffByIds(q, [...new Set(staffIds)])).map((s) => [s.id, s.name]));
  const nameOf = (m: MessageRow): string => {
    if (m.authorKind === 'staff') return staffNames.get(m.authorId ?? '') ?? '';
    if (m.authorKind === 'sms') return fullName(patientNames.get(thread.patientId));
    return fullName(patientNames.get(m.authorId ?? ''));
  };
  return {
    thread: summary!,
    messages: messages.map((m) => ({
      id: m.id,
      threadId: m.threadId,
      author: { kind: m.authorKind as AuthorKind, id: m.authorId, name: nameOf(m) },
      text: m.text,
      createdAt: m.createdAt.toISOString(),
      attachments: (attached.get(m.id) ?? []).flatMap((id) => {
        const d = visible.get(id);
        return d && d.patientId === thread.patientId
          ? [{ documentId: d.id, title: d.title, contentType: d.contentType, size: d.size }]
          : [];
      }),
    })),
  };
}
