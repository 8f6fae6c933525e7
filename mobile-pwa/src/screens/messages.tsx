/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { useApp } from '../context.ts';
import { uploadMyDocument } from '../documents-api.ts';
import { FamilyField, Field, TextAreaField } from '../fields.tsx';
import { listMyThreads, startThread, type ThreadJson } from '../messages-api.ts';
import { navigate } from '../router.ts';
import { ActionForm, Alert, fieldErrors, LoadState, Screen, useErrorText, useLoad } from '../ui.tsx';

/**
 * Messages with the clinic (issue 19): the conversations of the patient and their dependants,
 * newest first, unread ones marked; a new one with a subject, text, photos or files (sent first
 * through the documents upload) and, for a guardian, whom it is about. What the clinic promises
 * ("we reply within N working days") is shown before sending. Offline: the list last seen, and
 * sending is refused with the reason.
 */
export function MessagesScreen() {
  const app = useApp();
  const { t, dateTime } = app.i18n;
  const loaded = useLoad(listMyThreads, 'threads');
  const threads = loaded.data?.threads ?? [];
  const mayStart = loaded.data?.settings.patientsMayStart ?? true;
  return (
    <Screen title={t('messagesTitle')}>
      <LoadState loaded={loaded} />
      {loaded.data && mayStart && (
        <p>
          <a class="btn primary wide" href="#/messages/new">
            {t('messageNew')}
          </a>
        </p>
      )}
      {loaded.data && !mayStart && <p class="muted">{t('messagesReplyOnly')}</p>}
      {loaded.data && threads.length === 0 && <p class="muted">{t('messagesNone')}</p>}
      <ul class="list threads">
        {threads.map((th) => (
          <li key={th.id}>
            <a class={`card thread${th.unread ? ' unread' : ''}`} href={`#/messages/${th.id}`}>
              <strong>{th.subject}</strong>
              {th.unread && <span class="badge">{t('messageUnread')}</span>}
              <span class="muted small">
                {threadWho(th, app.me?.patient?.id)}
                {dateTime(th.lastMessageAt)}
                {th.status === 'closed' ? ` · ${t('messageClosed')}` : ''}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </Screen>
  );
}

/** "Léo · " for a dependant's thread (nothing for the patient's own). */
const threadWho = (th: ThreadJson, me: string | undefined) =>
  me && th.patientId !== me ? `${th.patientName} · ` : '';

/** Sends the chosen files through the documents upload, for `patientId`; their ids. */
export async function uploadAll(files: File[], patientId: string | undefined): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const up = uploadMyDocument(
      file,
      file.name,
      { title: file.name.replace(/\.[^.]{1,5}$/, '').slice(0, 200) || 'Photo', category: 'other', patientId },
      () => {},
    );
    ids.push((await up.done).id);
  }
  return ids;
}

/**
 * A message being written (a new conversation or a reply): its text, its photos or files, and
 * why sending it last failed. `send` refuses at once when offline, else runs `deliver` and
 * keeps its error.
 */
export function useMessageDraft() {
  const app = useApp();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(null);
  const send = async (deliver: () => Promise<void>) => {
    setError(null);
    if (!app.online) {
      setError(new ApiError(0, 'offline', 'offline'));
      return;
    }
    try {
      await deliver();
    } catch (e) {
      setError(e);
    }
  };
  return { text, setText, files, setFiles, error, send };
}

/**
 * A message's fields: its text and attachments, then `children` (what the clinic promises), then
 * why it was not sent when no field says it.
 */
export function MessageBody(props: {
  draft: ReturnType<typeof useMessageDraft>;
  children?: ComponentChildren;
}) {
  const { t } = useApp().i18n;
  const errorText = useErrorText();
  const { draft } = props;
  const errors = fieldErrors(draft.error);
  return (
    <>
      <TextAreaField
        label={t('messageText')}
        value={draft.text}
        onInput={draft.setText}
        maxLength={5000}
        error={errors.text}
      />
      <AttachField files={draft.files} onChange={draft.setFiles} />
      {props.children}
      {draft.error !== null && !Object.keys(errors).length && (
        <Alert>{offlineOr(draft.error, t('messagesOffline'), errorText)}</Alert>
      )}
    </>
  );
}

/** A file picker for photos and documents (the phone offers the camera). */
function AttachField(props: { files: File[]; onChange: (files: File[]) => void }) {
  const { t } = useApp().i18n;
  return (
    <div class="field">
      <label for="message-files">{t('messageAttach')}</label>
      <input
        id="message-files"
        type="file"
        multiple
        accept="image/*,application/pdf"
        onChange={(e) => props.onChange([...((e.currentTarget as HTMLInputElement).files ?? [])])}
      />
      {props.files.length > 0 && <p class="muted small">{props.files.map((f) => f.name).join(', ')}</p>}
    </div>
  );
}

/** `#/messages/new`: a new conversation. */
export function NewMessageScreen() {
  const app = useApp();
  const { t } = app.i18n;
  const loaded = useLoad(listMyThreads, 'threads');
  const me = app.me?.patient;
  const [about, setAbout] = useState(app.actingFor?.id ?? me?.id ?? '');
  const [subject, setSubject] = useState('');
  const draft = useMessageDraft();
  const days = loaded.data?.settings.replyWithinDays ?? null;
  const send = () =>
    draft.send(async () => {
      const patientId = about && about !== me?.id ? about : undefined;
      const documentIds = await uploadAll(draft.files, patientId);
      const { data } = await startThread({
        subject,
        text: draft.text,
        ...(documentIds.length ? { documentIds } : {}),
        ...(patientId ? { patientId } : {}),
      });
      navigate(`/messages/${data.thread.id}`);
    });
  const errors = fieldErrors(draft.error);
  return (
    <Screen title={t('messageNew')} back={() => navigate('/messages')}>
      {!app.online && <Alert>{t('messagesOffline')}</Alert>}
      <ActionForm onSubmit={send} submit={t('messageSend')} busyLabel={t('messageSending')}>
        <FamilyField label={t('messageAbout')} value={about} onChange={setAbout} />
        <Field
          label={t('messageSubject')}
          value={subject}
          maxLength={200}
          onInput={(e) => setSubject((e.currentTarget as HTMLInputElement).value)}
          error={errors.subject}
        />
        <MessageBody draft={draft}>
          {days !== null && <p class="notice">{t('messageReplyWithin', { n: days })}</p>}
        </MessageBody>
      </ActionForm>
    </Screen>
  );
}

/** The offline refusal's words, or the server's. */
const offlineOr = (error: unknown, offline: string, errorText: (e: unknown) => string) =>
  error instanceof ApiError && error.code === 'offline' ? offline : errorText(error);

/**
 * The Messages tab's badge: conversations with a clinic message not yet read, asked again when
 * the app comes back and on each screen change.
 */
export function useUnreadMessages(path: string, registered: boolean): number {
  const { refreshTick } = useApp();
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    if (!registered) return;
    let live = true;
    listMyThreads().then(
      (a) => live && setUnread(a.data.unread),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [path, registered, refreshTick]);
  return unread;
}
