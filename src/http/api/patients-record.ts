import { z } from '@hono/zod-openapi';
import {
  alertKinds,
  alertSeverities,
  identifierTypes,
  type Patient,
  type PatientAlert,
  type PatientChange,
  patientSexes,
} from '../../domain/patients/index.ts';
import { versionConflictAnswer } from '../kit/version-conflict.ts';
import { patientRecordView } from './patient-view.ts';
import { id, instant, patient } from './schemas.ts';

/*
 * A patient record as staff see it through the API (the portal's fields and the rest of the
 * record: sex, address, emergency contact, referrer, identifiers, status, version), its history
 * and its alerts — the schemas the OpenAPI document shows and the views that fill them.
 */

/** A typed identifier as stored; unreadable JSON reads as none. */
function identifiersOf(p: Patient): { type: (typeof identifierTypes)[number]; value: string }[] {
  try {
    const list = JSON.parse(p.identifiers) as unknown;
    return Array.isArray(list) ? (list as { type: (typeof identifierTypes)[number]; value: string }[]) : [];
  } catch {
    return [];
  }
}

export const staffPatientJson = patient.extend({
  sex: z.enum(patientSexes).nullable(),
  address: z.string().nullable(),
  emergencyContact: z.object({
    name: z.string().nullable(),
    relation: z.string().nullable(),
    phone: z.string().nullable(),
  }),
  referrer: z.object({
    name: z.string().nullable(),
    practice: z.string().nullable(),
    contact: z.string().nullable(),
  }),
  identifiers: z.array(z.object({ type: z.enum(identifierTypes), value: z.string() })),
  status: z.enum(['active', 'archived']),
  mergedInto: id.nullable().describe('The record this one was merged into (it is then archived)'),
  version: z.int().describe('Send it back with a change; a stale one answers 409 version_conflict'),
  updatedAt: instant,
});

/** The record as staff see it. */
export const staffPatientView = (p: Patient) => ({
  ...patientRecordView(p),
  sex: p.sex,
  address: p.address,
  emergencyContact: { name: p.emergencyName, relation: p.emergencyRelation, phone: p.emergencyPhone },
  referrer: { name: p.referrerName, practice: p.referrerPractice, contact: p.referrerContact },
  identifiers: identifiersOf(p),
  status: p.status,
  mergedInto: p.mergedInto,
  version: p.version,
  updatedAt: p.updatedAt.toISOString(),
});

export const withStaffPatient = z.object({ patient: staffPatientJson });

export const historyJson = z.object({
  changes: z.array(
    z.object({
      field: z.string(),
      oldValue: z.string().nullable(),
      newValue: z.string().nullable(),
      version: z.int().describe('The record’s version this change made'),
      by: z.object({ type: z.string(), id: z.string().nullable() }),
      at: instant,
    }),
  ),
});

export const changeView = (c: PatientChange) => ({
  field: c.field,
  oldValue: c.oldValue,
  newValue: c.newValue,
  version: c.version,
  by: { type: c.actorType, id: c.actorId },
  at: c.changedAt.toISOString(),
});

export const alertJson = z.object({
  id,
  patientId: id,
  kind: z.enum(alertKinds),
  text: z.string(),
  severity: z.enum(alertSeverities).nullable(),
  createdBy: id,
  createdAt: instant,
  resolvedAt: instant.nullable(),
  resolvedBy: id.nullable(),
});

export const alertView = (a: PatientAlert) => ({
  ...a,
  createdAt: a.createdAt.toISOString(),
  resolvedAt: a.resolvedAt ? a.resolvedAt.toISOString() : null,
});

/** A 409 version_conflict: the record's version now (nothing was changed). */
export const recordConflictAnswer = versionConflictAnswer(
  'version_conflict',
  z.int().describe('The record’s version now'),
  'version_conflict: changed elsewhere since read; nothing was saved',
);
