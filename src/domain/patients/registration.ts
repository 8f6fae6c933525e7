import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { parseAddress } from '../../lib/contact.ts';
import { AppError, conflict, validated } from '../../lib/errors.ts';
import { issueKey } from '../../lib/messages.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import { phoneForMessages } from './contact-changes.schema.ts';
import type { PatientContactChanges } from './contact-changes.ts';
import { insertSelfServedPatient, selfServedPatientEvent } from './create-patient.ts';
import type { Patient } from './patients.repo.ts';
import { patientInput } from './patients.schema.ts';
import { findLogin, insertLogin } from './sign-in.repo.ts';
import type { PatientSession, PatientSignIn } from './sign-in.ts';

/**
 * The version of the terms of use and privacy notice a patient accepts when registering in the
 * app; kept on their record with the time (`terms_version`, `terms_accepted_at`). Change it when
 * the terms change.
 */
export const TERMS_VERSION = '2026-12-01';

export const registrationInput = patientInput
  .pick({ firstName: true, lastName: true, dateOfBirth: true, phone: true })
  .extend({
    acceptTerms: z.literal(true, { error: issueKey('terms_not_accepted') }),
    /** Communication consents: messages about appointments by email, by SMS (default yes). */
    messagesByEmail: z.boolean().default(true),
    messagesBySms: z.boolean().default(true),
  });
export type RegistrationInput = z.input<typeof registrationInput>;

/**
 * Self-registration after a verified code for an unknown address: creates the patient and their
 * login and gives the session to them. A record with the same name and date of birth is not
 * merged — the new one is flagged for staff to review (`insertSelfServedPatient`). The address
 * signed in with is verified by that code; a phone given besides waits for the code sent to it
 * (contact-changes.ts) before messages use it.
 */
export function patientRegistration(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  clinic: ClinicService;
  signIn: PatientSignIn;
  contacts: PatientContactChanges;
}) {
  const { db, clock, audit, clinic, signIn, contacts } = deps;
  return {
    async register(session: PatientSession, input: unknown, actor: Actor): Promise<Patient> {
      if (session.patientId) throw conflict('registered_already', 'already_registered');
      if (!(await clinic.get()).selfRegistration) {
        throw new AppError('registration_closed', 'registration_closed', { status: 403 });
      }
      const data = validated(registrationInput, input);
      const signedInBy = parseAddress(session.address);
      const email = signedInBy?.kind === 'email' ? signedInBy.value : null;
      const verifiedPhone = signedInBy?.kind === 'phone' ? signedInBy.value : null;
      // A phone must take its code by SMS: in international form, kept as E.164.
      const otherPhone =
        !verifiedPhone && data.phone ? validated(phoneForMessages, { phone: data.phone }).phone : null;
      return db.tx(async (ctx) => {
        if (await findLogin(ctx, session.address))
          throw conflict('address_registered_already', 'already_registered');
        const now = clock.now();
        const patient = await insertSelfServedPatient(
          ctx,
          {
            firstName: data.firstName,
            lastName: data.lastName,
            dateOfBirth: data.dateOfBirth,
            email,
            phone: verifiedPhone,
            messagesByEmail: data.messagesByEmail,
            messagesBySms: data.messagesBySms,
            termsVersion: TERMS_VERSION,
            termsAcceptedAt: now,
          },
          now,
        );
        await insertLogin(ctx, session.address, patient.id, now);
        await signIn.attach(ctx, session.id, patient.id);
        const self: Actor = { ...actor, type: 'patient', id: patient.id };
        await audit.record(ctx, self, selfServedPatientEvent('patient.register', patient));
        if (otherPhone) {
          await contacts.request(ctx, self, {
            patientId: patient.id,
            channel: 'phone',
            value: otherPhone,
            current: null,
          });
        }
        return patient;
      });
    },
  };
}

export type PatientRegistration = ReturnType<typeof patientRegistration>;
