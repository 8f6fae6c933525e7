/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { documentContentUrl } from '../documents-api.ts';
import { markThreadRead, readMyThread, replyToThread } from '../messages-api.ts';
import { navigate } from '../router.ts';
import { ActionForm, Alert, LoadState, Screen, useLoad } from '../ui.tsx';
import { fileSize } from './document-words.ts';
import { MessageBody, uploadAll, useMessageDraft } from './messages.tsx';
import { PlainText } from './plain-text.tsx';

/**
 * `#/messages/<id>` (a push notification opens it): one conversation, oldest message first, the
 * text as plain text with links only; marked read once shown from the network; a reply with
 * photos or files. Offline: what was last seen here.
 */
export function ThreadScreen(props: { id: string }) {
  const app = useApp();
  const { t, dateTime } = app.i18n;
  const loaded = useLoad(() => readMyThread(props.id), `thread-${props.id}`);
  const draft = useMessageDraft();
  const [sent, setSent] = useState(false);
  const detail = loaded.data;
  const newest = detail?.messages.at(-1)?.id;
  // Read up to what the patient sees (not when it came from the phone's saved copy).
  useEffect(() => {
    if (detail && !loaded.offline) markThreadRead(props.id).catch(() => {});
  }, [newest, loaded.offline]);
  const send = () => {
    setSent(false);
    return draft.send(async () => {
      const documentIds = await uploadAll(draft.files, detail?.thread.patientId);
      await replyToThread(props.id, { text: draft.text, ...(documentIds.length ? { documentIds } : {}) });
      draft.setText('');
      draft.setFiles([]);
      setSent(true);
      loaded.reload();
    });
  };
  return (
    <Screen title={detail?.thread.subject ?? t('messagesTitle')} back={() => navigate('/messages')}>
      <LoadState loaded={loaded} />
      {detail && (
        <>
          {detail.thread.patientId !== app.me?.patient?.id && (
            <p class="muted">{t('messageAboutPerson', { name: detail.thread.patientName })}</p>
          )}
          <ol class="messages" aria-label={t('messagesTitle')}>
            {detail.messages.map((m) => (
              <li key={m.id} class={`message ${m.author.kind === 'staff' ? 'from-clinic' : 'from-me'}`}>
                <p class="message-meta">
                  <strong>
                    {m.author.kind === 'staff' ? m.author.name || app.clinic.name : m.author.name}
                  </strong>{' '}
                  <span class="muted small">{dateTime(m.createdAt)}</span>
                </p>
                <PlainText text={m.text} />
                {m.attachments.length > 0 && (
                  <ul class="attachments">
                    {m.attachments.map((a) => (
                      <li key={a.documentId}>
                        <a href={documentContentUrl(a.documentId)} target="_blank" rel="noopener">
                          {a.title}
                        </a>{' '}
                        <span class="muted small">({fileSize(app.i18n, a.size)})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
          {sent && <Alert kind="ok">{t('messageSent')}</Alert>}
          {!app.online && <Alert>{t('messagesOffline')}</Alert>}
          <h2>{t('messageReply')}</h2>
          {detail.thread.status === 'closed' && <p class="muted">{t('messageClosedReply')}</p>}
          <ActionForm onSubmit={send} submit={t('messageSend')} busyLabel={t('messageSending')}>
            <MessageBody draft={draft} />
          </ActionForm>
        </>
      )}
    </Screen>
  );
}
