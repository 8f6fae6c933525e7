import { type Core, defineArea } from '../area.ts';
import type { AuditService } from '../audit/index.ts';
import { clinicService } from './clinic.service.ts';

/** For other areas (notifications keeps its signing keys in `settings`): take the caller's ctx. */
export { findSettingValue, insertSettingIfMissing, listSettings, upsertSetting } from './clinic.repo.ts';

export {
  type ClinicSettings,
  clinicSettingsSchema,
  defaultClinicSettings,
  type QuietHours,
  quietHoursSchema,
} from './clinic.schema.ts';
export { type ClinicService, clinicService } from './clinic.service.ts';

/** The clinic's own settings: name, address, time zone, booking rules. */
export const clinicArea = defineArea({
  name: 'clinic',
  build: ({ db, clock, audit }: Core & { audit: AuditService }) => ({
    services: { clinic: clinicService({ db, clock, audit }) },
  }),
});
