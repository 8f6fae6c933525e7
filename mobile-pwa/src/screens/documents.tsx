/** @jsxImportSource preact */
import { useId } from 'preact/hooks';
import { useApp } from '../context.ts';
import { type DocumentJson, documentContentUrl, listMyDocuments } from '../documents-api.ts';
import { LoadState, OFFLINE_REASON_ID, Screen, useLoad } from '../ui.tsx';
import { categoryKey, fileKind, fileSize } from './document-words.ts';
import { SendDocument } from './documents-send.tsx';

/**
 * Documents: what the clinic shared with the signed-in patient (opened in the browser or
 * downloaded), what they sent the clinic and whether it has been seen, and sending a new one (a
 * camera photo or a file). The patient's own documents only: the API has none for dependants, so
 * while the family switcher shows one, a note says whose these are.
 */
export function DocumentsScreen() {
  const app = useApp();
  const { t } = app.i18n;
  const loaded = useLoad(listMyDocuments, 'documents');
  const me = app.me?.patient;
  const whose = (loaded.data?.documents ?? []).filter((d) => d.patientId === me?.id);
  const newestFirst = (a: DocumentJson, b: DocumentJson) =>
    b.documentDate.localeCompare(a.documentDate) || b.createdAt.localeCompare(a.createdAt);
  const shared = whose.filter((d) => d.source === 'staff').sort(newestFirst);
  const sent = whose.filter((d) => d.source === 'patient').sort(newestFirst);
  return (
    <Screen title={t('documentsTitle')}>
      <p>{t('documentsIntro')}</p>
      {me && app.actingFor && app.actingFor.id !== me.id && (
        <p class="alert ok">{t('docsOwnOnly', { name: me.firstName })}</p>
      )}
      <LoadState loaded={loaded} />
      <DocumentList title={t('docsFromClinic')} none={t('noSharedDocuments')} list={shared} loaded={loaded} />
      <SendDocument onSent={loaded.reload} />
      {sent.length > 0 && <DocumentList title={t('docsSent')} none="" list={sent} loaded={loaded} />}
    </Screen>
  );
}

/** A titled list of documents (a region named by its title); `none` once loaded and empty. */
function DocumentList(props: {
  title: string;
  none: string;
  list: DocumentJson[];
  loaded: { data: unknown };
}) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      {props.loaded.data !== undefined && props.list.length === 0 && <p class="muted">{props.none}</p>}
      <ul class="list">
        {props.list.map((d) => (
          <li key={d.id}>
            <DocumentCard document={d} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One document: its title, kind, day and size; open and download for the clinic's, the review state for one's own. */
function DocumentCard(props: { document: DocumentJson }) {
  const { i18n } = useApp();
  const { t } = i18n;
  const d = props.document;
  return (
    <article class="card document">
      <h3 class="document-title">{d.title}</h3>
      <p class="muted small">
        {t(categoryKey[d.category] ?? 'categoryOther')} · {i18n.fullDate(d.documentDate)} ·{' '}
        {fileKind(i18n, d.contentType)}, {fileSize(i18n, d.size)}
      </p>
      {d.source === 'patient' ? (
        <>
          <p class={d.reviewedAt ? 'status reviewed' : 'status waiting'}>
            {d.reviewedAt ? t('docReviewed') : t('docAwaitingReview')}
          </p>
          <ContentLink document={d} as="open" class="link" />
        </>
      ) : (
        <div class="actions">
          <ContentLink document={d} as="open" class="btn primary" />
          <ContentLink document={d} as="download" class="btn plain" />
        </div>
      )}
    </article>
  );
}

/**
 * Open (a new tab: PDFs and images show in the browser) or Download, named with the document's
 * title for screen readers ("Open Blood test" among several). The bytes are never kept on the
 * phone by the app: offline, the link is off and the banner says why.
 */
function ContentLink(props: { document: DocumentJson; as: 'open' | 'download'; class: string }) {
  const { i18n, online } = useApp();
  const d = props.document;
  const label = (
    <>
      {i18n.t(props.as === 'open' ? 'docOpen' : 'docDownload')}
      <span class="visually-hidden"> {d.title}</span>
    </>
  );
  if (!online)
    return (
      <button type="button" class={props.class} disabled aria-describedby={OFFLINE_REASON_ID}>
        {label}
      </button>
    );
  return props.as === 'open' ? (
    <a class={props.class} href={documentContentUrl(d.id)} target="_blank" rel="noopener">
      {label}
    </a>
  ) : (
    <a class={props.class} href={documentContentUrl(d.id, 'download')} download={d.fileName}>
      {label}
    </a>
  );
}
