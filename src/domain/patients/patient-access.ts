import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import { listPatientLogins } from './access.repo.ts';
import { endGuardianLink } from './end-guardian-link.ts';
import { recordPatientRead } from './find-patients.ts';
import { listFamilyLinks, type RelativeLink } from './patients.repo.ts';
import { revokeLogin } from './revoke-login.ts';
import type { PatientSignIn } from './sign-in.ts';

export { ADULT_AGE, guardianLinkEndInput } from './end-guardian-link.ts';

export interface AccessDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  clinic: ClinicService;
  signIn: Pick<PatientSignIn, 'endSessions'>;
}

/** A relative as the access view shows them: who, and the link's start and end (null: none set). */
export interface FamilyMember {
  id: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  since: Date;
  endsAt: Date | null;
}

/** Who can get into a patient's record: the addresses that sign in to it, and the family links in force. */
export interface PatientAccessView {
  logins: { address: string; addedAt: Date }[];
  /** Those who reach this patient's record (its guardians). */
  guardians: FamilyMember[];
  /** Those whose records this patient reaches (their dependants). */
  dependents: FamilyMember[];
}

const memberOf = ({ patient, link }: RelativeLink): FamilyMember => ({
  id: patient.id,
  firstName: patient.firstName,
  lastName: patient.lastName,
  dateOfBirth: patient.dateOfBirth,
  since: link.createdAt,
  endsAt: link.endsAt,
});

/**
 * Access to a patient's record, as the patient (under /api/v1/me) and staff (the chart) review
 * it: the list (an audited read), revoking a login, ending a guardian link. One file per use case
 * (revoke-login.ts, end-guardian-link.ts); sign-out everywhere is the sign-in service's.
 */
export function patientAccess(deps: AccessDeps) {
  return {
    async view(actor: Actor, patientId: string): Promise<PatientAccessView> {
      const logins = await listPatientLogins(deps.db.reader, patientId);
      const family = await listFamilyLinks(deps.db.reader, patientId, deps.clock.now());
      const view = {
        logins: logins.map((l) => ({ address: l.address, addedAt: l.createdAt })),
        guardians: family.guardians.map(memberOf),
        dependents: family.dependents.map(memberOf),
      };
      await recordPatientRead(deps.audit, actor, 'patient.read-access', patientId, {
        logins: logins.length,
        guardians: view.guardians.length,
        dependents: view.dependents.length,
      });
      return view;
    },

    /** Removes an address's login (staff: any; the patient: not `inUse`, the one signed in with). */
    revokeLogin: (actor: Actor, patientId: string, address: string, inUse?: string): Promise<void> =>
      revokeLogin(deps, actor, patientId, address, inUse),

    /** Ends a guardian link now (staff: or from a later day): `{ guardianId, dependentId, endsOn? }`. */
    endGuardianLink: (actor: Actor, input: unknown): Promise<void> => endGuardianLink(deps, actor, input),
  };
}

export type PatientAccess = ReturnType<typeof patientAccess>;
