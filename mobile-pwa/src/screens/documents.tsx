/** @jsxImportSource preact */
import { useId, useRef, useState } from 'preact/hooks';
import { shownPerson, useApp } from '../context.ts';
import {
  type DocumentJson,
  deleteMyDocument,
  documentContentUrl,
  listMyDocuments,
} from '../documents-api.ts';
import {
  ActionButton,
  Alert,
  CardList,
  LoadState,
  Screen,
  ServerFileLink,
  useErrorText,
  useLoad,
} from '../ui.tsx';
import { ConfirmChoice, useConfirmed } from './confirm-choice.tsx';
import { categoryKey, fileKind, fileSize } from './document-words.ts';
import { SendDocument } from './documents-send.tsx';

/**
 * Documents of whoever the family switcher shows (the patient, or a dependant of theirs): what
 * the clinic shared (opened in the browser or downloaded), what was sent to the clinic and
 * whether it has been seen — taken back while it has not — and sending a new one (a camera photo
 * or a file) to that person's file.
 */
export function DocumentsScreen() {
  const app = useApp();
  const { t } = app.i18n;
  const loaded = useLoad(listMyDocuments, 'documents');
  const { who, dependant } = shownPerson(app);
  const [deleted, setDeleted] = useState(false);
  const sentHeading = useRef<HTMLHeadingElement>(null);
  const whose = (loaded.data?.documents ?? []).filter((d) => d.patientId === who?.id);
  const newestFirst = (a: DocumentJson, b: DocumentJson) =>
    b.documentDate.localeCompare(a.documentDate) || b.createdAt.localeCompare(a.createdAt);
  const shared = whose.filter((d) => d.source === 'staff').sort(newestFirst);
  const sent = whose.filter((d) => d.source === 'patient').sort(newestFirst);
  const onDeleted = () => {
    setDeleted(true);
    loaded.reload();
    // The card and its buttons are gone: the keyboard goes on from the list's heading.
    sentHeading.current?.focus();
  };
  return (
    <Screen title={t('documentsTitle')}>
      <p>{dependant ? t('docsOfPerson', { name: dependant.firstName }) : t('documentsIntro')}</p>
      <LoadState loaded={loaded} />
      <DocumentList
        title={t('docsFromClinic')}
        none={dependant ? t('noSharedDocumentsFor', { name: dependant.firstName }) : t('noSharedDocuments')}
        list={shared}
        loaded={loaded}
      />
      <SendDocument
        onSent={() => {
          setDeleted(false);
          loaded.reload();
        }}
        forPatient={dependant ? { id: dependant.id, firstName: dependant.firstName } : undefined}
      />
      {(sent.length > 0 || deleted) && (
        <DocumentList
          title={t('docsSent')}
          none=""
          list={sent}
          loaded={loaded}
          headingRef={sentHeading}
          notice={deleted ? t('docDeleted') : undefined}
          onDeleted={onDeleted}
        />
      )}
    </Screen>
  );
}

/** A titled list of documents (a region named by its title); `none` once loaded and empty. */
function DocumentList(props: {
  title: string;
  none: string;
  list: DocumentJson[];
  loaded: { data: unknown };
  headingRef?: { current: HTMLHeadingElement | null };
  notice?: string | undefined;
  onDeleted?: () => void;
}) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id} ref={props.headingRef} tabIndex={props.headingRef ? -1 : undefined}>
        {props.title}
      </h2>
      {props.notice && <Alert kind="ok">{props.notice}</Alert>}
      {props.loaded.data !== undefined && props.list.length === 0 && props.none && (
        <p class="muted">{props.none}</p>
      )}
      <CardList items={props.list} card={(d) => <DocumentCard document={d} onDeleted={props.onDeleted} />} />
    </section>
  );
}

/**
 * One document: its title, kind, day and size; open and download for the clinic's; for one sent
 * from the app, whether the clinic has seen it — and, until it has, Delete (after a confirm).
 */
function DocumentCard(props: { document: DocumentJson; onDeleted?: (() => void) | undefined }) {
  const { i18n } = useApp();
  const { t } = i18n;
  const errorText = useErrorText();
  const d = props.document;
  const remove = useConfirmed(
    () => deleteMyDocument(d.id),
    () => props.onDeleted?.(),
  );
  const deletable = d.source === 'patient' && !d.reviewedAt && props.onDeleted;
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
          <div class="actions">
            <ContentLink document={d} as="open" class="btn plain" />
            {deletable && !remove.confirming && (
              <ActionButton kind="plain" onClick={remove.ask}>
                {t('docDelete')}
                <span class="visually-hidden"> {d.title}</span>
              </ActionButton>
            )}
          </div>
          <ConfirmChoice
            confirm={remove}
            question={t('docDeleteConfirm')}
            yes={t('docDeleteYes')}
            no={t('docDeleteNo')}
          />
          <Alert>{remove.error ? errorText(remove.error) : null}</Alert>
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
 * title for screen readers. The bytes are never kept on the phone by the app.
 */
function ContentLink(props: { document: DocumentJson; as: 'open' | 'download'; class: string }) {
  const { t } = useApp().i18n;
  const d = props.document;
  return props.as === 'open' ? (
    <ServerFileLink href={documentContentUrl(d.id)} label={t('docOpen')} name={d.title} class={props.class} />
  ) : (
    <ServerFileLink
      href={documentContentUrl(d.id, 'download')}
      label={t('docDownload')}
      name={d.title}
      class={props.class}
      download={d.fileName}
    />
  );
}
