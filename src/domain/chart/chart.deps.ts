import type { Cache } from '../../lib/cache.ts';
import type { AreaDeps } from '../area.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';
import type { TemplateField } from './chart.schema.ts';

/** What the chart area's use cases are given (index.ts builds it once). */
export interface ChartDeps extends AreaDeps {
  /** The clinic's time zone says where "today" starts (notes to finish). */
  clinic: Pick<ClinicService, 'get'>;
  /**
   * Whose appointment a note names (it must be the same patient's; its service's default
   * template); whether a practitioner has seen a patient (the clinic's notes setting).
   */
  appointments: Pick<AppointmentsService, 'forNotification' | 'hasSeen'>;
  /** The fields of template versions already read, by `<templateId>@<version>` (a version never changes). */
  versionFields: Cache<{ fields: TemplateField[] }>;
  /** Resolves once the shipped starter templates exist (made at most once per process). */
  ready(): Promise<void>;
}
