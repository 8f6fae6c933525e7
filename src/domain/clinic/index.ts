export { type ClinicSettings, clinicSettingsSchema, defaultClinicSettings } from './clinic.schema.ts';
export { type ClinicService, clinicService } from './clinic.service.ts';
