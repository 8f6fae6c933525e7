/** Who did something, from where — attached to every audit row. */
export interface Actor {
  type: 'staff' | 'patient' | 'system';
  /** Staff account id or patient id; null for the system. */
  id: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

/** What happened. `details` must never hold health data contents or secrets — only ids and flags. */
export interface AuditEvent {
  /** `entity.verb`, e.g. `patient.read`, `appointment.cancel`, `staff.sign-in`. */
  action: string;
  entity: string;
  entityId?: string | null;
  /** The patient whose data this touches, for the "who saw my data" view. */
  patientId?: string | null;
  details?: Record<string, string | number | boolean | null> | null;
}

export const systemActor: Actor = { type: 'system', id: null };

export const GENESIS_HASH = '0'.repeat(64);
