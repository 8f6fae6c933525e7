export { type PatientInput, patientInput } from './patients.schema.ts';
export { type Patient, type PatientsService, patientsService } from './patients.service.ts';
