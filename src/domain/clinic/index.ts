export {
  type ClinicSettings,
  clinicSettingsSchema,
  defaultClinicSettings,
  type QuietHours,
  quietHoursSchema,
} from './clinic.schema.ts';
export { type ClinicService, clinicService } from './clinic.service.ts';
