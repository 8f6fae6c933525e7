import { areaJobs } from '../../jobs/index.ts';
import { type BuildDeps, defineArea } from '../area.ts';
import type { Notifier } from '../notifications/index.ts';
import { patientContactChanges } from './contact-changes.ts';
import { erasureJobs } from './erase.jobs.ts';
import { patientErasure, patientsEraseStep } from './erase-records.ts';
import { patientFamily } from './family.ts';
import { patientInvites } from './invites.ts';
import { patientMerge, patientsMergeStep } from './merge-records.ts';
import { patientPasskeys } from './passkeys.ts';
import { patientAccess } from './patient-access.ts';
import { patientSecurityMessages } from './patient-security.messages.ts';
import { patientsJobs } from './patients.jobs.ts';
import { patientsMessages } from './patients.messages.ts';
import { patientsService } from './patients.service.ts';
import { patientRegistration } from './registration.ts';
import { patientSignIn } from './sign-in.ts';
import { tidyStoredRecords } from './tidy-stored-records.ts';

export { resendContactInput, verifyContactInput } from './contact-changes.schema.ts';
export { type PatientContactChanges, type PendingContact, patientContactChanges } from './contact-changes.ts';
export { LIST_RETENTION_ENDED } from './erase.jobs.ts';
export { type RestrictInput, restrictInput } from './erase.schema.ts';
export {
  describeClinical,
  type ErasePreview,
  type EraseResult,
  type PatientErasure,
} from './erase-records.ts';
export { dependentInput, type PatientFamily, patientFamily, patientScope } from './family.ts';
export { listRecordsOnFile, type RecordOnFile } from './import.repo.ts';
export type { ImportRowInput, PatientImport } from './import-patients.ts';
export { acceptInviteInput, linkRecordInput, type PatientInvites, patientInvites } from './invites.ts';
/** An address partly hidden (`m…y@example.com`), as notices and staff pages show one. */
export { maskAddress } from './login-added.ts';
/** For the chart: a signed note keeps the hash taken with the record it was written for. */
export { listMergedRecordIds } from './merge.repo.ts';
export { type MergeInput, mergeInput } from './merge.schema.ts';
export type { MergeResult, PatientMerge } from './merge-records.ts';
export { FRESH_SIGN_IN_MS, type PatientPasskeys, patientPasskeys } from './passkeys.ts';
export {
  ADULT_AGE,
  type FamilyMember,
  guardianLinkEndInput,
  type PatientAccess,
  type PatientAccessView,
  patientAccess,
} from './patient-access.ts';
export { PRUNE_PATIENT_SESSIONS, patientsJobs } from './patients.jobs.ts';
export { patientsMessages } from './patients.messages.ts';
/**
 * For other areas (scheduling's bookings and calendars, notifications' recipients and
 * unsubscribe links) and the demo command: reads and writes of patient records, each taking the
 * caller's ctx.
 */
export {
  findPatientById,
  findPatientContacts,
  findPatientLanguage,
  findPatientNames,
  findPatientStatus,
  hasAnyPatient,
  isGuardianOf,
  listActiveGuardians,
  lockPatient,
  type MessageChannel,
  type PatientContact,
  type PatientName,
  turnPatientChannelOff,
} from './patients.repo.ts';
export { ownProfileInput, type PatientInput, patientInput, searchNameOf } from './patients.schema.ts';
export {
  type Patient,
  type PatientAlert,
  type PatientChange,
  type PatientsService,
  patientsService,
} from './patients.service.ts';
export { phoneForDisplay } from './phone-numbers.ts';
export { quietHoursColumn, quietHoursOf } from './quiet-hours-column.ts';
export {
  type AlertKind,
  alertChangeInput,
  alertInput,
  alertKinds,
  alertSeverities,
  identifierTypes,
  type PatientIdentifier,
  patientSexes,
  type RecordChangeInput,
  recordChangeInput,
} from './record.schema.ts';
export {
  type PatientRegistration,
  patientRegistration,
  type RegistrationInput,
  registrationInput,
  TERMS_VERSION,
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
export { PatientVersionConflict } from './update-record.ts';

/**
 * Patients: records, families (guardians and dependants), the patient app's sign-in (one-time
 * codes, links, passkeys), self-registration and invitations, and who has access to a record.
 */
export const patientsArea = defineArea({
  name: 'patients',
  build(deps: BuildDeps<{ notifications: { notifier: Notifier } }>) {
    const { db, clock, audit, clinic } = deps;
    const notify = deps.notifications.notifier;
    const signIn = patientSignIn({ db, clock, audit, notify });
    const invites = patientInvites({ db, clock, audit, notify, signIn });
    const jobs = patientsJobs({ signIn });
    const contacts = patientContactChanges({ db, clock, audit, notify });
    const erasure = patientErasure({ db, clock, log: deps.log, audit, clinic, files: deps.files, signIn });
    const erasing = erasureJobs({ erasure });
    return {
      services: {
        patients: patientsService({ db, clock, audit, clinic, contacts }),
        patientSignIn: signIn,
        patientRegistration: patientRegistration({ db, clock, audit, clinic, signIn, contacts }),
        patientContacts: contacts,
        patientFamily: patientFamily({ db, clock, audit, clinic }),
        patientAccess: patientAccess({ db, clock, audit, clinic, signIn }),
        patientInvites: invites,
        patientPasskeys: patientPasskeys({ db, clock, audit, signIn }),
        patientMerge: patientMerge({ db, clock, audit, signIn }),
        patientErasure: erasure,
      },
      patientMerge: [patientsMergeStep({ signIn })],
      patientErase: [patientsEraseStep({ signIn })],
      jobs: areaJobs(jobs, erasing),
      // Records from an older version: phones in E.164, search names as they are made now.
      start: async () => {
        await tidyStoredRecords({ db, audit, clinic });
      },
      messages: [
        patientsMessages({ signIn, invites, clinic, baseUrl: deps.publicUrl }),
        patientSecurityMessages({ contacts }),
      ],
    };
  },
});
