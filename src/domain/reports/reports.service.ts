import { DateTime } from 'luxon';
import { forbidden, notFound } from '../../lib/errors.ts';
import { actingStaff, can, refuseUnlessCan } from '../accounts/index.ts';
import type { AreaDeps } from '../area.ts';
import type { Actor } from '../audit/index.ts';
import type { BillingService } from '../billing/index.ts';
import type { PractitionersService, ServicesService } from '../scheduling/index.ts';
import {
  dailyTakings,
  outstanding,
  revenueByPaymentMethod,
  revenueByPractitioner,
  revenueByService,
  smsBudgetReport,
} from './billing-reports.ts';
import { type DateRange, resolveRange, scopeOf } from './periods.ts';
import type { ReportDefinition, ReportLookups, ReportRow } from './report.ts';
import {
  appointmentsByStatus,
  attendance,
  bookingChannels,
  newVersusReturning,
  utilisation,
} from './scheduling-reports.ts';

/** Every report, in the order the Reports page shows them. */
export const reportCatalogue: readonly ReportDefinition[] = [
  appointmentsByStatus,
  attendance,
  utilisation,
  newVersusReturning,
  bookingChannels,
  revenueByService,
  revenueByPractitioner,
  revenueByPaymentMethod,
  outstanding,
  dailyTakings,
  smsBudgetReport,
];

export interface ReportsDeps extends AreaDeps<'clinic'> {
  practitioners: Pick<PractitionersService, 'list'>;
  services: Pick<ServicesService, 'list'>;
  billing: Pick<BillingService, 'settings'>;
  smsMonthlyLimit: number;
}

/** A report as read: its definition's parts, the range, whose figures, its rows, the clinic's currency. */
export interface ReportResult {
  name: string;
  title: string;
  description: string;
  columns: ReportDefinition['columns'];
  chart: ReportDefinition['chart'];
  range: DateRange;
  /** Whose figures: all the clinic's, or one practitioner's own. */
  scope: 'clinic' | 'own';
  currency: string;
  rows: ReportRow[];
}

/** Who reads reports: admins every figure, practitioners their own (`reports.read`, `reports.read-all`). */
async function readerOf(deps: Pick<ReportsDeps, 'db'>, actor: Actor) {
  const member = await actingStaff(deps.db.reader, actor);
  refuseUnlessCan(member.role, 'reports.read', 'Your role does not allow reports.');
  return { id: member.actor.id, all: can(member.role, 'reports.read-all') };
}

/**
 * Reports (issue 20 item 5): each an aggregate query of the area that owns its tables, over a
 * range of the clinic's local dates. An admin reads the clinic's figures, a practitioner only
 * their own (the scope's practitioner, enforced here whatever the route) and not the clinic-wide
 * ones (`adminOnly`). Every read of a report is one audit row (money and health aggregates).
 */
export function reportsService(deps: ReportsDeps) {
  const today = async () => {
    const zone = (await deps.clinic.get()).timeZone;
    return { zone, today: DateTime.fromJSDate(deps.clock.now(), { zone }).startOf('day') };
  };
  const lookups: ReportLookups = {
    practitionerNames: async () =>
      new Map((await deps.practitioners.list()).map((p) => [p.accountId, p.profile?.displayName ?? p.name])),
    serviceNames: async () => new Map((await deps.services.list()).map((s) => [s.id, s.name])),
    smsMonthlyLimit: deps.smsMonthlyLimit,
  };
  return {
    /** The range a request asks for (a preset or from/to), seen from the clinic's today; 422 when bad. */
    async range(input: unknown): Promise<DateRange> {
      return resolveRange(input, (await today()).today);
    },

    /** The reports the member may read, in the page's order. */
    async available(actor: Actor): Promise<ReportDefinition[]> {
      const who = await readerOf(deps, actor);
      return reportCatalogue.filter((r) => who.all || !r.adminOnly);
    },

    /** One report over the range `input` asks for (audited); unknown name → 404. */
    async run(actor: Actor, name: string, input: unknown): Promise<ReportResult> {
      const who = await readerOf(deps, actor);
      const report = reportCatalogue.find((r) => r.name === name);
      if (!report) throw notFound('That report');
      if (report.adminOnly && !who.all) throw forbidden('Only administrators read this report.');
      const { zone, today: now } = await today();
      const range = resolveRange(input, now);
      const scope = scopeOf(range, zone, now, who.all ? null : who.id);
      const [rows, settings] = await Promise.all([
        report.rows(deps.db.reader, scope, lookups),
        deps.billing.settings(),
      ]);
      await deps.audit.recordRead(actor, {
        action: 'report.read',
        entity: 'report',
        entityId: name,
        details: { from: range.from, to: range.to, scope: who.all ? 'clinic' : 'own', rows: rows.length },
      });
      return {
        name: report.name,
        title: report.title,
        description: report.description,
        columns: report.columns,
        chart: report.chart,
        range,
        scope: who.all ? 'clinic' : 'own',
        currency: settings.currency,
        rows,
      };
    },
  };
}

export type ReportsService = ReturnType<typeof reportsService>;
