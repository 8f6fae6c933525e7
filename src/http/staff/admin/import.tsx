import { type Context, Hono } from 'hono';
import {
  ImportPage,
  type ImportPageView,
  ImportProgress,
  type ImportProgressView,
  ImportsPage,
  UploadForm,
} from '../../../../views/pages/staff/admin/import.tsx';
import {
  type ImportInspection,
  type ImportKind,
  type ImportView,
  importFields,
} from '../../../domain/imports/index.ts';
import { isAppError } from '../../../lib/errors.ts';
import { sendAttachment } from '../../kit/attachment.ts';
import { readForm } from '../../kit/form.ts';
import { withStreamedUpload } from '../../kit/upload.ts';
import { actorOf, redirect } from '../../middleware/staff-auth.ts';
import type { RouteKit } from '../../routes.ts';
import type { AppEnv, HttpDeps } from '../../types.ts';
import { clinicTime } from '../clinic-time.ts';

const notices: Record<string, string> = {
  saved: 'Columns saved: the preview below uses them.',
  started: 'The import has started.',
};

/**
 * `/staff/admin/import`: CSV imports from another system, admins only. The upload streams past
 * the 1 MiB body limit (kit/upload.ts lists this route; 20 MB at most) and is checked as CSV
 * before anything is stored; then the mapping form, the preview and dry run, the run as a job
 * (its progress polled by htmx), and the rejected rows as CSV. The imports area audits each step.
 */
export function staffImportRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const admin = authorize('staff.manage');
  const pageOf = (id: string) => `/staff/admin/import/${encodeURIComponent(id)}`;

  const listPage = async (c: Context<AppEnv>, error?: string) => {
    const [imports, { timeZone }] = await Promise.all([deps.imports.list(), deps.clinic.get()]);
    const rows = imports.map((i) => ({
      id: i.id,
      kind: i.kind,
      fileName: i.fileName,
      status: i.status,
      created: clinicTime(i.createdAt, timeZone),
      counts:
        i.status === 'done'
          ? `${i.totalRows}: ${i.imported} imported, ${i.onFile} on file, ${i.rejected} rejected`
          : String(i.totalRows),
    }));
    return c.html(ImportsPage({ nav: kit.nav(c), rows, error }), error ? 422 : 200);
  };

  app.get('/', admin, (c) => listPage(c));

  app.post('/', admin, async (c) => {
    let kind = 'patients';
    try {
      const created = await withStreamedUpload(c, (upload) => {
        kind = typeof upload.fields.kind === 'string' ? upload.fields.kind : kind;
        return deps.imports.upload(actorOf(c) as { type: 'staff'; id: string }, {
          kind,
          fileName: upload.fileName,
          file: upload.file,
        });
      });
      return redirect(c, pageOf(created.id));
    } catch (e) {
      if (!isAppError(e) || e.status >= 500 || e.code === 'csrf_failed') throw e;
      const message = e.code === 'not_csv' ? `This file cannot be imported: ${e.message}.` : e.message;
      if (c.req.header('hx-request'))
        return c.html(UploadForm({ csrf: kit.nav(c).csrf, error: message, kind }), 422);
      return listPage(c, message);
    }
  });

  app.get('/:id', admin, async (c) => {
    const inspection = await deps.imports.inspect(actorOf(c), c.req.param('id'));
    const { timeZone } = await deps.clinic.get();
    return c.html(
      ImportPage({
        nav: kit.nav(c),
        view: pageView(inspection, timeZone, notices[c.req.query('notice') ?? '']),
      }),
    );
  });

  app.get('/:id/progress', admin, async (c) => {
    const view = await deps.imports.get(c.req.param('id'));
    const { timeZone } = await deps.clinic.get();
    return c.html(ImportProgress({ view: progressView(view, timeZone) }));
  });

  app.post('/:id/mapping', admin, async (c) => {
    const id = c.req.param('id');
    const form = await readForm(c);
    const view = await deps.imports.get(id);
    const choice = Object.fromEntries(
      (importFields[view.kind as ImportKind] ?? []).map((f) => [
        f.name,
        form.list(`map.${f.name}`).filter((h) => h !== ''),
      ]),
    );
    await deps.imports.saveMapping(actorOf(c), id, {
      choice,
      dateFormat: form.text('dateFormat'),
      notify: form.checked('notify'),
    });
    return redirect(c, `${pageOf(id)}?notice=saved#h-preview`);
  });

  app.post('/:id/run', admin, async (c) => {
    const id = c.req.param('id');
    await deps.imports.start(actorOf(c), id);
    return redirect(c, `${pageOf(id)}?notice=started`);
  });

  app.post('/:id/discard', admin, async (c) => {
    await deps.imports.discard(actorOf(c), c.req.param('id'));
    return redirect(c, '/staff/admin/import');
  });

  app.get('/:id/rejected.csv', admin, async (c) => {
    const opened = await deps.imports.openRejected(actorOf(c), c.req.param('id'));
    return sendAttachment(c, opened, 'text/csv; charset=utf-8');
  });

  return app;
}

function progressView(i: ImportView, timeZone: string): ImportProgressView {
  return {
    id: i.id,
    status: i.status,
    totalRows: i.totalRows,
    nextRow: i.nextRow,
    imported: i.imported,
    onFile: i.onFile,
    rejected: i.rejected,
    hasRejectedFile: i.hasRejectedFile,
    finished: clinicTime(i.finishedAt, timeZone),
    error: i.error ?? '',
  };
}

function pageView(x: ImportInspection, timeZone: string, notice: string | undefined): ImportPageView {
  const i = x.import;
  const fields = importFields[i.kind as ImportKind] ?? [];
  const shown = fields.filter((f) => (x.choice[f.name]?.length ?? 0) > 0);
  return {
    id: i.id,
    kind: i.kind,
    fileName: i.fileName,
    source: i.source,
    status: i.status,
    totalRows: i.totalRows,
    header: x.header,
    fields: fields.map((f) => ({
      name: f.name,
      label: f.label,
      many: Boolean(f.many),
      chosen: x.choice[f.name] ?? [],
    })),
    dateFormat: i.dateFormat,
    notify: i.notify,
    missing: x.missing,
    previewHeads: shown.map((f) => f.label),
    preview: x.preview.map((r) => {
      const duplicate = r.outcome.kind === 'rejected' && /duplicate of/.test(r.outcome.reason);
      return {
        line: r.line,
        values: shown.map((f) => r.values[f.name] ?? ''),
        outcome: r.outcome.kind === 'rejected' ? (duplicate ? 'duplicate' : 'rejected') : r.outcome.kind,
        says:
          r.outcome.kind === 'new'
            ? 'would import'
            : r.outcome.kind === 'on-file'
              ? 'already on file (skipped)'
              : duplicate
                ? r.outcome.reason
                : `rejected: ${r.outcome.reason}`,
      };
    }),
    summary: x.summary,
    progress: progressView(i, timeZone),
    notice,
  };
}
