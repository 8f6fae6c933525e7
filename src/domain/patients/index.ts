export { dependentInput, type PatientFamily, patientFamily, patientScope } from './family.ts';
export { acceptInviteInput, type PatientInvites, patientInvites } from './invites.ts';
export { FRESH_SIGN_IN_MS, type PatientPasskeys, patientPasskeys } from './passkeys.ts';
export { PRUNE_PATIENT_SESSIONS, patientsJobs } from './patients.jobs.ts';
export { ownProfileInput, type PatientInput, patientInput } from './patients.schema.ts';
export { type Patient, type PatientsService, patientsService } from './patients.service.ts';
export {
  type PatientRegistration,
  patientRegistration,
  type RegistrationInput,
  registrationInput,
} from './registration.ts';
export {
  type PatientSession,
  type PatientSignIn,
  patientSignIn,
  type SignedIn,
  type SignInMeta,
  startInput,
  verifyInput,
  verifyLinkInput,
} from './sign-in.ts';
