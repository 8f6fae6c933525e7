import { z } from '@hono/zod-openapi';
import { presets, reportCatalogue, reportCsv } from '../../domain/reports/index.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';

const reportJson = z
  .object({
    report: z.object({
      name: z.string(),
      title: z.string(),
      description: z.string(),
      from: z.string().describe('First local date, YYYY-MM-DD'),
      to: z.string().describe('Last local date (included), YYYY-MM-DD'),
      scope: z.enum(['clinic', 'own']).describe('The clinic’s figures (admins) or the practitioner’s own'),
      currency: z.string().describe('ISO 4217: money columns are integers of its minor units'),
      columns: z.array(z.object({ key: z.string(), label: z.string(), kind: z.string() })),
      rows: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
    }),
  })
  .meta({ id: 'Report' });

const rangeQuery = z.object({
  from: z
    .string()
    .optional()
    .describe('YYYY-MM-DD (with `to`; both in the clinic’s time zone, both included)'),
  to: z.string().optional().describe('YYYY-MM-DD'),
  preset: z.enum(presets).optional().describe('Instead of from/to (default this-month)'),
});

const operations = apiOperations({ tags: ['Reports'], policy: 'reports.read' });
const read = operations.get('/{name}', {
  summary: `A report over a range of local dates, as JSON, or as CSV with \`Accept: text/csv\`. Names: ${reportCatalogue.map((r) => r.name).join(', ')}. Admins read the clinic’s figures; practitioners their own (sms-budget: admins only). Each read is audited`,
  params: z.object({ name: z.string().describe('The report’s name') }),
  query: rangeQuery,
  responses: {
    200: {
      description: 'The report (JSON), or its CSV with Accept: text/csv',
      content: {
        'application/json': { schema: reportJson },
        'text/csv': { schema: z.string() },
      },
    },
  },
  refuses: [401, 403, 404, 422],
});

/** Whether the caller asked for CSV (`Accept: text/csv` before JSON). */
const wantsCsv = (accept: string | undefined) => /(^|,)\s*text\/csv/i.test(accept ?? '');

/** `/api/v1/reports/{name}`: one report over a range, JSON or CSV. */
export function reportsApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, read), async (c) => {
    const { from, to, preset } = c.req.valid('query');
    const range = {
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(preset ? { preset } : {}),
    };
    const report = await deps.reports.run(actorOf(c), c.req.valid('param').name, range);
    if (wantsCsv(c.req.header('Accept'))) {
      return c.body(reportCsv(report), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${report.name}-${report.range.from}-${report.range.to}.csv"`,
        'Cache-Control': 'no-store',
      });
    }
    const { range: r, chart: _chart, ...rest } = report;
    return c.json({ report: { ...rest, from: r.from, to: r.to } }, 200);
  });
  return app;
}
