import { type BuildDeps, defineArea } from '../area.ts';
import type { BillingService } from '../billing/index.ts';
import type { PractitionersService, ServicesService } from '../scheduling/index.ts';
import { reportsService } from './reports.service.ts';

export { type DateRange, MAX_RANGE_DAYS, type Preset, presetRange, presets, rangeInput } from './periods.ts';
export type { ChartSpec, ColumnKind, ReportColumn, ReportDefinition, ReportRow } from './report.ts';
export { reportCsv, safeCell } from './report-csv.ts';
export { type ReportResult, type ReportsService, reportCatalogue } from './reports.service.ts';

/**
 * Reports (issue 20 item 5): an area of its own that owns no table. It composes the report
 * queries the owning areas export (scheduling's appointments and hours, billing's invoices and
 * payments, notifications' SMS counts) and holds what they share: the range and its weeks in the
 * clinic's zone, who may read which figures (practitioners their own), the audit row of each read.
 */
export const reportsArea = defineArea({
  name: 'reports',
  build(
    deps: BuildDeps<{
      practitioners: PractitionersService;
      services: ServicesService;
      billing: BillingService;
    }>,
  ) {
    return {
      services: {
        reports: reportsService({
          db: deps.db,
          clock: deps.clock,
          audit: deps.audit,
          clinic: deps.clinic,
          practitioners: deps.practitioners,
          services: deps.services,
          billing: deps.billing,
          smsMonthlyLimit: deps.config.smsMonthlyLimit,
        }),
      },
    };
  },
});
