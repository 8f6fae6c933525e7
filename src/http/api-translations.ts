/**
 * The API's error messages in the patient's language. Messages are written in English where they
 * arise (gettext style: the English text is the key); `/api/*` answers in French when the request
 * asks for it (`Accept-Language`, which the patient app sends). Only what a patient can meet is
 * here; staff pages stay English. `api-translations.test.ts` fails when a key no longer appears
 * in the source, so a reworded message cannot silently fall back to English.
 */
export type ApiLanguage = 'en' | 'fr';
export const apiLanguages: ApiLanguage[] = ['en', 'fr'];

export const fr: Record<string, string> = {
  // generic
  'Some fields are not valid.': 'Certains champs ne sont pas valides.',
  'Something went wrong on our side. Please try again.': 'Une erreur est survenue de notre côté. Réessayez.',
  'Please sign in.': 'Veuillez vous connecter.',
  'You are not allowed to do this.': 'Vous n’avez pas le droit de faire cela.',
  'Too many requests. Please wait a moment and try again.':
    'Trop de demandes. Patientez un instant puis réessayez.',
  'Too many requests.': 'Trop de demandes.',
  'The request body must be a JSON object.': 'Le corps de la requête doit être un objet JSON.',
  'Requests from other sites are refused.': 'Les requêtes venant d’autres sites sont refusées.',
  'Send JSON with Content-Type: application/json.': 'Envoyez du JSON avec Content-Type: application/json.',
  // sign-in and registration
  'Enter a valid email address.': 'Saisissez une adresse e-mail valide.',
  'The code has 6 digits.': 'Le code a 6 chiffres.',
  'That code is not right or has expired. Ask for a new one.':
    'Ce code n’est pas bon ou a expiré. Demandez-en un nouveau.',
  'That link is not complete.': 'Ce lien est incomplet.',
  'That passkey is not registered here, or the sign-in expired. Use a code instead.':
    'Cette clé d’accès n’est pas enregistrée ici, ou la connexion a expiré. Utilisez un code.',
  'The passkey could not be verified.': 'La clé d’accès n’a pas pu être vérifiée.',
  'Sign in again with a code to add a passkey.':
    'Reconnectez-vous avec un code pour ajouter une clé d’accès.',
  'This invitation does not work (expired, used, or the date of birth does not match).':
    'Cette invitation ne fonctionne pas (expirée, déjà utilisée, ou la date de naissance ne correspond pas).',
  'Enter your date of birth as YYYY-MM-DD.': 'Saisissez votre date de naissance (AAAA-MM-JJ).',
  'Enter the date of birth as YYYY-MM-DD.': 'Saisissez la date de naissance (AAAA-MM-JJ).',
  'Enter the first name.': 'Saisissez le prénom.',
  'Enter the last name.': 'Saisissez le nom.',
  'Enter a phone number such as +44 20 7946 0000.':
    'Saisissez un numéro de téléphone, par exemple +33 6 12 34 56 78.',
  'Please accept the terms to register.': 'Veuillez accepter les conditions pour vous inscrire.',
  'Please finish registering first.': 'Terminez d’abord votre inscription.',
  'You are registered already.': 'Vous êtes déjà inscrit.',
  'This address is registered already. Sign in again.': 'Cette adresse est déjà inscrite. Reconnectez-vous.',
  'The clinic registers new patients itself. Please call the clinic.':
    'Le cabinet inscrit lui-même les nouveaux patients. Appelez le cabinet.',
  'That address already signs in for someone else. Please call the clinic.':
    'Cette adresse sert déjà à quelqu’un d’autre. Appelez le cabinet.',
  'Use a language tag such as en or fr.': 'Utilisez un code de langue comme en ou fr.',
  'Quiet hours must start and end at different times.':
    'Les heures calmes doivent commencer et finir à des heures différentes.',
  'The endpoint must be a push service’s https URL.':
    'L’adresse doit être l’URL https d’un service de notifications.',
  // booking
  'Choose a service.': 'Choisissez un service.',
  'Choose a practitioner.': 'Choisissez un praticien.',
  'Choose a patient.': 'Choisissez un patient.',
  'Give the start as an ISO time with offset, e.g. 2026-03-02T09:00:00Z.':
    'Donnez le début en heure ISO avec décalage, par exemple 2026-03-02T09:00:00Z.',
  'That time was just taken. Please choose another.':
    'Cet horaire vient d’être pris. Choisissez-en un autre.',
  'That time cannot be booked. Please choose one of the offered times.':
    'Cet horaire ne peut pas être réservé. Choisissez un des horaires proposés.',
  'Already booked at that time.': 'Déjà réservé à cette heure.',
  'This cannot be booked online. Please call the clinic.':
    'Ceci ne peut pas être réservé en ligne. Appelez le cabinet.',
  'This practitioner does not offer that service.': 'Ce praticien ne propose pas ce service.',
  'It is too late to cancel online. Please call the clinic.':
    'Il est trop tard pour annuler en ligne. Appelez le cabinet.',
  'It is too late to change this appointment online. Please call the clinic.':
    'Il est trop tard pour modifier ce rendez-vous en ligne. Appelez le cabinet.',
  'This appointment was changed meanwhile (another tab or person). Reload and try again.':
    'Ce rendez-vous a été modifié entre-temps (autre onglet ou personne). Rechargez et réessayez.',
  'This appointment was changed meanwhile. Reload and try again.':
    'Ce rendez-vous a été modifié entre-temps. Rechargez et réessayez.',
  'Recurring appointments are booked by the clinic.':
    'Les rendez-vous récurrents sont réservés par le cabinet.',
};

/** What a "was not found" message names, in French. */
const frSubjects: Record<string, string> = {
  'That appointment': 'Ce rendez-vous',
  'That patient': 'Ce patient',
  'That service': 'Ce service',
  'That practitioner': 'Ce praticien',
  'That waitlist entry': 'Cette inscription sur liste d’attente',
  'That passkey': 'Cette clé d’accès',
  'This page': 'Cette page',
};

const statusFr: Record<string, string> = {
  requested: 'en attente',
  booked: 'confirmé',
  arrived: 'arrivé',
  completed: 'terminé',
  'no-show': 'manqué',
  cancelled: 'annulé',
};

/** The message in `language`; unknown messages stay as they are (English). */
export function translateApiMessage(message: string, language: ApiLanguage): string {
  if (language === 'en') return message;
  const exact = fr[message];
  if (exact) return exact;
  const missing = /^(.+) was not found\.$/.exec(message);
  if (missing?.[1] && frSubjects[missing[1]]) return `${frSubjects[missing[1]]} est introuvable.`;
  const state = /^A ([a-z-]+) appointment cannot be (cancelled|moved)\.$/.exec(message);
  if (state?.[1] && statusFr[state[1]]) {
    return `Un rendez-vous ${statusFr[state[1]]} ne peut pas être ${state[2] === 'cancelled' ? 'annulé' : 'déplacé'}.`;
  }
  return message;
}
