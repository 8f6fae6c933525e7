/** @jsxImportSource preact */
import { useId } from 'preact/hooks';
import { useApp } from '../context.ts';
import { type DocumentJson, documentContentUrl, listMyDocuments } from '../documents-api.ts';
import { LoadState, Screen, useLoad } from '../ui.tsx';
import { categoryKey, fileKind, fileSize } from './document-words.ts';
import { SendDocument } from './documents-send.tsx';

/**
 * Documents: what the clinic shared with whoever the family switcher shows (opened in the
 * browser or downloaded), what they sent the clinic and whether it has been seen, and sending a
 * new one (a camera photo or a file).
 */
export function DocumentsScreen() {
  const app = useApp();
  const { t } = app.i18n;
  const loaded = useLoad(listMyDocuments, 'documents');
  const whose = (loaded.data?.documents ?? []).filter((d) => d.patientId === app.actingFor?.id);
  const newestFirst = (a: DocumentJson, b: DocumentJson) =>
    b.documentDate.localeCompare(a.documentDate) || b.createdAt.localeCompare(a.createdAt);
  const shared = whose.filter((d) => d.source === 'staff').sort(newestFirst);
  const sent = whose.filter((d) => d.source === 'patient').sort(newestFirst);
  return (
    <Screen title={t('documentsTitle')}>
      <p>{t('documentsIntro')}</p>
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
  const href = documentContentUrl(d.id);
  // The links' names say which document they open: "Open Blood test" among several.
  const named = <span class="visually-hidden"> {d.title}</span>;
  return (
    <article class="card document">
      <h3 class="document-title">{d.title}</h3>
      <p class="muted small">
        {t(categoryKey[d.category] ?? 'categoryOther')} · {i18n.fullDate(d.documentDate)} ·{' '}
        {fileKind(i18n, d.contentType)}, {fileSize(i18n, d.size)}
      </p>
      {d.source === 'patient' ? (
        <p class={d.reviewedAt ? 'status reviewed' : 'status waiting'}>
          {d.reviewedAt ? t('docReviewed') : t('docAwaitingReview')}
        </p>
      ) : (
        <div class="actions">
          <a class="btn primary" href={href} target="_blank" rel="noopener">
            {t('docOpen')}
            {named}
          </a>
          <a class="btn plain" href={href} download={d.fileName}>
            {t('docDownload')}
            {named}
          </a>
        </div>
      )}
    </article>
  );
}
