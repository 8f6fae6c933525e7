import type { StaffRole } from './accounts.schema.ts';

/**
 * Who may do what. One table, read by `can` and shown in the README. Patients are not staff:
 * their access is scoped in the patient API, never through these permissions.
 */
export const permissions = {
  /** Clinic settings, services, hours, templates. */
  'settings.manage': ['admin'],
  /** Invite staff, change roles, deactivate, reset a second factor. */
  'staff.manage': ['admin'],
  /** The audit log and the job queue. */
  'audit.read': ['admin'],
  'jobs.manage': ['admin'],
  /** Patient records: demographics, contact details, appointments. */
  'patients.read': ['admin', 'practitioner', 'reception'],
  'patients.write': ['admin', 'practitioner', 'reception'],
  /** Merge two records of one person (everything moves, the other is archived): the front desk and admins. */
  'patients.merge': ['admin', 'reception'],
  /** Erase a record with no clinical content, restrict one, lift a restriction, purge one whose retention ended. */
  'patients.erase': ['admin'],
  /** Clinical notes and health documents: practitioners (and admins, often the lead practitioner). */
  'clinical.read': ['admin', 'practitioner'],
  'clinical.write': ['practitioner'],
  /** Book, move and cancel for any practitioner (practitioners: their own calendar). */
  'appointments.book-any': ['admin', 'reception'],
  'appointments.book-own': ['admin', 'practitioner', 'reception'],
  /** Invoices and payments: practitioners read their own patients'; the front desk and admins manage them. */
  'billing.read': ['admin', 'practitioner', 'reception'],
  'billing.manage': ['admin', 'reception'],
  /** Reports: practitioners read their own figures; admins every figure of the clinic. */
  'reports.read': ['admin', 'practitioner'],
  'reports.read-all': ['admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof permissions;

export const can = (role: StaffRole, permission: Permission): boolean =>
  (permissions[permission] as readonly StaffRole[]).includes(role);
