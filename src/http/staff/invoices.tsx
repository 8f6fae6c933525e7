import { type Context, Hono } from 'hono';
import { InvoicesPage, type RegisterQueryTyped } from '../../../views/pages/staff/invoices/list.tsx';
import { type AppError, isAppError } from '../../lib/errors.ts';
import { readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { draftTypedOf, draftUpdateOf, editorIssues, parseAmount } from './invoice-form.ts';
import { type InvoicePageState, invoiceFmt, invoicePage } from './invoice-pages.tsx';

/** What the invoice page says after an action (`?done=`). */
const notices: Record<string, string> = {
  created: 'A draft invoice was made: add its lines, then issue it.',
  unpriced:
    'A draft invoice was made. The service has no price yet: add its line with the price, then issue it.',
  saved: 'Saved. The totals are recomputed.',
  issued: 'Issued. It can no longer change: correct it with a credit note.',
  paid: 'The payment is recorded.',
  voided: 'Voided.',
  credited: 'The credit note is issued.',
  sent: 'The invoice is on its way to the payer by email, with its PDF.',
  'already-issued': 'This invoice was already issued (perhaps in another tab): nothing was changed.',
};

/** Refusals the page says kindly instead of an error page: the invoice moved on meanwhile. */
const kindly = (e: AppError) => e.status === 409 || e.status === 422;

/**
 * `/staff/invoices`: the register (filters, totals, paging), making a draft (from a patient's chart
 * or an appointment), the invoice page with the draft's editor, issue, void, payments and credit
 * notes. Each goes through the billing domain (audited there); bad input re-renders the form with
 * what was typed and changes nothing. Reading needs billing.read; changing billing.manage.
 */
export function staffInvoicesRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const page = (c: Context<AppEnv>, state: InvoicePageState = {}) =>
    invoicePage(deps, kit, c, c.req.param('id')!, state);
  const back = (c: Context<AppEnv>, done: string, id = c.req.param('id')!) =>
    redirect(c, `/staff/invoices/${id}?done=${done}`);

  app.get('/', authorize('billing.read'), registerPage(deps, kit));
  /** A new draft: `patientId` (by hand) or `appointmentId` (its service at its price). */
  app.post('/', authorize('billing.manage'), createDraft(deps, back));

  app.get('/:id', authorize('billing.read'), (c) => page(c, { notice: notices[c.req.query('done') ?? ''] }));

  /** Saves the draft: the domain prices and totals its lines (htmx redraws the editor only). */
  const save = async (c: Context<AppEnv>, then: () => Response | Promise<Response>) => {
    const fmt = await invoiceFmt(deps);
    const typed = draftTypedOf(await readForm(c));
    let rowOf: number[] = [];
    return orRerender(
      async () => {
        const update = draftUpdateOf(typed, fmt.digits);
        rowOf = update.rowOf;
        await deps.billing.update(actorOf(c), c.req.param('id')!, update.input);
        return then();
      },
      (r) =>
        r.error.code === 'invoice_issued'
          ? c.req.header('hx-request')
            ? back(c, 'already-issued')
            : page(c, { status: 409, error: r.error.message })
          : page(c, {
              status: r.status,
              draft: {
                typed,
                errors: editorIssues(r.error.issues ?? [], rowOf),
                error: r.error.code === 'validation_failed' ? undefined : r.error.message,
              },
            }),
      (e) => ['validation_failed', 'version_conflict', 'invoice_issued'].includes(e.code),
    );
  };
  app.post('/:id', authorize('billing.manage'), (c) =>
    save(c, () => (c.req.header('hx-request') ? page(c, { notice: notices.saved }) : back(c, 'saved'))),
  );

  /** Issues (saving the editor first when it was sent): a second issue is said kindly, 409. */
  app.post('/:id/issue', authorize('billing.manage'), async (c) => {
    const issue = () =>
      orRerender(
        async () => {
          await deps.billing.issue(actorOf(c), c.req.param('id')!);
          return back(c, 'issued');
        },
        (r) =>
          r.error.code === 'invoice_issued'
            ? c.req.header('hx-request')
              ? back(c, 'already-issued')
              : page(c, { status: 409, error: notices['already-issued'] })
            : page(c, { status: r.status, error: r.error.message }),
        kindly,
      );
    const form = await readForm(c);
    return form.optional('rows') === undefined ? issue() : save(c, issue);
  });

  app.post('/:id/void', authorize('billing.manage'), (c) =>
    orRerender(
      async () => {
        await deps.billing.void(actorOf(c), c.req.param('id')!);
        return back(c, 'voided');
      },
      (r) => page(c, { status: r.status, error: r.error.message }),
      kindly,
    ),
  );

  app.post('/:id/payments', authorize('billing.manage'), async (c) => {
    const form = await readForm(c);
    const fmt = await invoiceFmt(deps);
    const typed = {
      method: form.text('method'),
      amount: form.text('amount'),
      reference: form.text('reference'),
    };
    const amount = parseAmount(typed.amount, fmt.digits);
    return orRerender(
      async () => {
        await deps.billing.pay(actorOf(c), c.req.param('id')!, {
          method: typed.method,
          amount: amount ?? Number.NaN,
          reference: typed.reference,
        });
        return back(c, 'paid');
      },
      (r) => {
        const message = amount === null ? 'Give the amount, such as 45.00.' : r.message;
        return page(c, { status: r.status, payment: { ...typed, error: message } });
      },
      kindly,
    );
  });

  app.post('/:id/credit-notes', authorize('billing.manage'), creditNote(deps, page, back));
  app.post('/:id/send', authorize('billing.manage'), sendAgain(deps, page, back));
  return app;
}

/** The register: its filters are the query; a bad date is said above the list (422). */
function registerPage(deps: HttpDeps, kit: RouteKit) {
  return async (c: Context<AppEnv>) => {
    const q = c.req.query();
    const query: RegisterQueryTyped = {
      status: q.status ?? '',
      from: q.from ?? '',
      to: q.to ?? '',
      q: (q.q ?? '').trim(),
      outstanding: q.outstanding === '1' || q.outstanding === 'on',
      origin: q.origin === 'fee' ? 'fee' : '',
    };
    const actor = actorOf(c);
    const patientIds = query.q
      ? (await deps.patients.search(actor, query.q, 100)).map((p) => p.id)
      : undefined;
    const filter = {
      status: query.status,
      from: query.from,
      to: query.to,
      outstanding: query.outstanding,
      origin: query.origin,
      page: q.page ?? '',
    };
    let error: string | undefined;
    const register = await deps.billing.register(actor, filter, patientIds).catch((e: unknown) => {
      if (!isAppError(e) || e.status !== 422) throw e;
      error = e.issues?.map((i) => i.message).join(' ') || e.message;
      return deps.billing.register(actor, {}, patientIds);
    });
    return c.html(
      InvoicesPage({ nav: kit.nav(c), register, query, fmt: await invoiceFmt(deps), error }),
      error ? 422 : 200,
    );
  };
}

/** A new draft: `patientId` (by hand) or `appointmentId` (its service at its price; an empty draft when it has none). */
function createDraft(deps: HttpDeps, back: (c: Context<AppEnv>, done: string, id?: string) => Response) {
  return async (c: Context<AppEnv>) => {
    const form = await readForm(c);
    const appointmentId = form.text('appointmentId');
    const input = appointmentId ? { appointmentId } : { patientId: form.text('patientId'), lines: [] };
    try {
      const created = await deps.billing.create(actorOf(c), input).catch((e: unknown) => {
        // The service has no price yet: an empty draft for the appointment, its line typed by hand.
        if (!appointmentId || !isAppError(e) || e.code !== 'validation_failed') throw e;
        return deps.billing
          .create(actorOf(c), { appointmentId, lines: [] })
          .then((d) => ({ ...d, unpriced: true }));
      });
      return back(c, 'unpriced' in created ? 'unpriced' : 'created', created.id);
    } catch (e) {
      if (!isAppError(e) || e.code !== 'invoice_exists') throw e;
      // Made meanwhile (another tab, or the completion's setting): open the one there is.
      const [existing] = await deps.billing.ofAppointments(actorOf(c), [appointmentId]);
      return existing ? back(c, 'created', existing.id) : Promise.reject(e);
    }
  };
}

/** A credit note of the lines ticked (each with its quantity); none ticked is said, nothing made. */
function creditNote(
  deps: HttpDeps,
  page: (c: Context<AppEnv>, state: InvoicePageState) => Promise<Response>,
  back: (c: Context<AppEnv>, done: string, id?: string) => Response,
) {
  return async (c: Context<AppEnv>) => {
    const form = await readForm(c);
    const positions = form.list('position').map(Number).filter(Number.isInteger);
    const quantities = Object.fromEntries(positions.map((p) => [p, form.text(`quantity_${p}`)]));
    const typed = { positions, quantities, note: form.text('note') };
    if (positions.length === 0)
      return page(c, { status: 422, credit: { ...typed, error: 'Tick the lines to credit.' } });
    return orRerender(
      async () => {
        const lines = positions.map((position) => {
          const q = quantities[position]?.trim();
          return q ? { position, quantity: Number(q) } : { position };
        });
        const note = await deps.billing.credit(actorOf(c), c.req.param('id')!, { lines, note: typed.note });
        return back(c, 'credited', note.id);
      },
      (r) => page(c, { status: r.status, credit: { ...typed, error: r.message } }),
      kindly,
    );
  };
}

/**
 * Sends the issued invoice to its payer by email again (its PDF attached). htmx redraws the Send
 * section (sent, or why not, such as a payer without an email); without script: back to the page,
 * or the page with the refusal (409).
 */
function sendAgain(
  deps: HttpDeps,
  page: (c: Context<AppEnv>, state: InvoicePageState) => Promise<Response>,
  back: (c: Context<AppEnv>, done: string, id?: string) => Response,
) {
  return (c: Context<AppEnv>) => {
    const htmx = Boolean(c.req.header('hx-request'));
    return orRerender(
      async () => {
        await deps.billing.send(actorOf(c), c.req.param('id')!);
        return htmx ? page(c, { send: { notice: notices.sent } }) : back(c, 'sent');
      },
      // htmx swaps only a 2xx answer: the refusal is said in the section it redraws.
      (r) => page(c, { status: htmx ? 200 : r.status, send: { error: r.error.message } }),
      kindly,
    );
  };
}
