/** @jsxImportSource preact */
import type { RefObject } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { useApp } from '../context.ts';
import {
  type DocumentCategory,
  patientUploadCategories,
  type Upload,
  uploadMyDocument,
} from '../documents-api.ts';
import { Field, SelectField } from '../fields.tsx';
import { localDate } from '../i18n.ts';
import { ActionButton, Alert } from '../ui.tsx';
import { useAttempt } from '../use-form.ts';
import { categoryKey, fileSize } from './document-words.ts';

/**
 * Sending the clinic a document: a photo taken now (the phone's camera) or a file already on the
 * phone, a title and a kind, then the upload with its progress, which can be stopped. The clinic
 * sees it in its Inbox, "to review". `forPatient`: a dependant the guardian sends it for.
 */
export function SendDocument(props: {
  onSent: () => void;
  forPatient?: { id: string; firstName: string } | undefined;
}) {
  const app = useApp();
  const { t } = app.i18n;
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const wasSending = useRef(false);
  const camera = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLDivElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState<DocumentCategory>('other');
  const [sent, setSent] = useState<number | null>(null);
  const [ok, setOk] = useState(false);
  const upload = useRef<Upload | null>(null);
  const attempt = useAttempt();

  const choose = (fromCamera: boolean) => (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const chosen = input.files?.[0];
    input.value = '';
    if (!chosen) return;
    attempt.setError(null);
    setOk(false);
    setFile(chosen);
    setTitle(
      fromCamera
        ? t('docPhotoTitle', { day: app.i18n.fullDate(localDate(new Date(), app.clinic.timeZone)) })
        : chosen.name.replace(/\.[^.]+$/, ''),
    );
  };
  // The form appears under the buttons: the title is where the keyboard and screen reader go next.
  useEffect(() => {
    if (file) form.current?.querySelector('input')?.focus();
  }, [file]);
  // Once an upload ends the button that had the focus is gone: Send again if the file is still
  // there (stopped, refused), else the section's heading (sent).
  useEffect(() => {
    if (sent !== null || !wasSending.current) return;
    wasSending.current = false;
    (form.current?.querySelector<HTMLElement>('button.primary') ?? heading.current)?.focus();
  }, [sent]);

  const send = attempt.submit(async () => {
    if (!file) return;
    wasSending.current = true;
    setSent(0);
    const fields = { title: title.trim(), category, patientId: props.forPatient?.id };
    upload.current = uploadMyDocument(file, file.name, fields, setSent);
    try {
      await upload.current.done;
      setFile(null);
      setOk(true);
      props.onSent();
    } catch (error) {
      // Stopped on purpose: nothing to report, the chosen file stays to send again.
      if (!(error instanceof ApiError && error.code === 'aborted')) throw error;
    } finally {
      upload.current = null;
      setSent(null);
    }
  });

  return (
    <section aria-labelledby={headingId} class="send-document">
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        {t('docSendTitle')}
      </h2>
      <p class="muted small">{t('docSendIntro')}</p>
      {props.forPatient && <p class="small">{t('docSendFor', { name: props.forPatient.firstName })}</p>}
      <input ref={camera} type="file" accept="image/*" capture="environment" hidden onChange={choose(true)} />
      <input ref={picker} type="file" accept="image/*,application/pdf" hidden onChange={choose(false)} />
      {sent === null && (
        <div class="actions pick">
          <button type="button" class="btn plain" onClick={() => camera.current?.click()}>
            {t('docTakePhoto')}
          </button>
          <button type="button" class="btn plain" onClick={() => picker.current?.click()}>
            {t('docChooseFile')}
          </button>
        </div>
      )}
      {ok && <Alert kind="ok">{t('docSent')}</Alert>}
      {file && (
        <ChosenFile
          formRef={form}
          file={file}
          title={title}
          onTitle={setTitle}
          category={category}
          onCategory={setCategory}
          sent={sent}
          attempt={attempt}
          onSend={send}
          onStop={() => upload.current?.cancel()}
          onCancel={() => {
            heading.current?.focus();
            setFile(null);
          }}
        />
      )}
    </section>
  );
}

/** The chosen file: its name and picture, its title and kind, then Send — or the upload's progress. */
function ChosenFile(props: {
  formRef: RefObject<HTMLDivElement | null>;
  file: File;
  title: string;
  onTitle: (title: string) => void;
  category: DocumentCategory;
  onCategory: (category: DocumentCategory) => void;
  sent: number | null;
  attempt: ReturnType<typeof useAttempt>;
  onSend: () => void;
  onStop: () => void;
  onCancel: () => void;
}) {
  const app = useApp();
  const { t } = app.i18n;
  const { file, sent, attempt } = props;
  return (
    <div ref={props.formRef} class="card chosen">
      <div class="chosen-file">
        <Thumbnail file={file} />
        <p class="file-name">
          {file.name}
          <span class="muted small"> · {fileSize(app.i18n, file.size)}</span>
        </p>
      </div>
      <Field
        label={t('docTitle')}
        name="title"
        value={props.title}
        maxLength={200}
        required
        error={attempt.issues.title}
        disabled={sent !== null}
        onInput={(e) => props.onTitle(e.currentTarget.value)}
      />
      <SelectField
        label={t('docCategory')}
        name="category"
        value={props.category}
        error={attempt.issues.category}
        onChange={(v) => props.onCategory(v as DocumentCategory)}
        options={patientUploadCategories.map((c) => ({ value: c, label: t(categoryKey[c]) }))}
      />
      {sent !== null && <Progress sent={sent} onStop={props.onStop} />}
      <Alert>{attempt.message}</Alert>
      {sent === null && (
        <div class="actions">
          <ActionButton onClick={props.onSend} disabled={!props.title.trim()}>
            {t('docSend')}
          </ActionButton>
          <button type="button" class="btn plain" onClick={props.onCancel}>
            {t('docCancel')}
          </button>
        </div>
      )}
    </div>
  );
}

/** The upload's progress as a bar and a percentage, and the button that stops it. */
function Progress(props: { sent: number; onStop: () => void }) {
  const { t, lang } = useApp().i18n;
  const id = useId();
  const percent = new Intl.NumberFormat(lang, { style: 'percent' }).format(props.sent);
  return (
    <div class="upload-progress">
      <p id={id} role="status">
        {props.sent < 1 ? t('docSending') : t('docSaving')}
      </p>
      <div class="progress-row">
        <progress aria-labelledby={id} max={1} value={props.sent} />
        <span class="percent" aria-hidden="true">
          {percent}
        </span>
      </div>
      <button type="button" class="btn plain" onClick={props.onStop}>
        {t('docStop')}
      </button>
    </div>
  );
}

/**
 * A small picture of a chosen photo, drawn on a canvas (the app's CSP allows no blob: images);
 * nothing for a PDF or a format the browser cannot draw (HEIC).
 */
function Thumbnail(props: { file: File }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    setDrawn(false);
    if (!props.file.type.startsWith('image/')) return;
    let live = true;
    createImageBitmap(props.file, { resizeWidth: 128, resizeQuality: 'medium' }).then(
      (bitmap) => {
        const c = canvas.current;
        if (!live || !c) return;
        c.width = bitmap.width;
        c.height = bitmap.height;
        c.getContext('2d')?.drawImage(bitmap, 0, 0);
        bitmap.close();
        setDrawn(true);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [props.file]);
  // Decoration: the file's name beside it says which file it is.
  return (
    <div aria-hidden="true" hidden={!drawn}>
      <canvas ref={canvas} class="thumbnail" />
    </div>
  );
}
