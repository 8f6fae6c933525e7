/**
 * Every message a patient can meet through the API, in each language the API speaks, keyed by a
 * stable code. Errors carry the key (AppError's `key`, a field issue's `code`), their English
 * `message` is rendered from here, and the API answers in French when the request asks for it
 * (`Accept-Language`, which the patient app sends) — so rewording the English cannot lose the
 * French. Parameters are written `{name}`; a parameter may itself be a key (the subject of
 * `not_found`, an appointment's status), said in the same language. Staff-only messages stay
 * plain English where they are raised. `messages.test.ts` checks that every key is used in src/.
 */
export type Language = 'en' | 'fr';

/** The languages the API answers in, English first (the default). */
export const languages: Language[] = ['en', 'fr'];

const table = {
  // generic
  fields_invalid: { en: 'Some fields are not valid.', fr: 'Certains champs ne sont pas valides.' },
  internal_error: {
    en: 'Something went wrong on our side. Please try again.',
    fr: 'Une erreur est survenue de notre côté. Réessayez.',
  },
  sign_in_required: { en: 'Please sign in.', fr: 'Veuillez vous connecter.' },
  not_allowed: { en: 'You are not allowed to do this.', fr: 'Vous n’avez pas le droit de faire cela.' },
  too_many_requests: {
    en: 'Too many requests. Please wait a moment and try again.',
    fr: 'Trop de demandes. Patientez un instant puis réessayez.',
  },
  body_not_json_object: {
    en: 'The request body must be a JSON object.',
    fr: 'Le corps de la requête doit être un objet JSON.',
  },
  body_not_json: {
    en: 'Send JSON with Content-Type: application/json.',
    fr: 'Envoyez du JSON avec Content-Type: application/json.',
  },
  body_too_large: { en: 'The request body is too large.', fr: 'Le corps de la requête est trop volumineux.' },
  request_not_handled: { en: 'The request could not be handled.', fr: 'La requête n’a pas pu être traitée.' },
  cross_site_refused: {
    en: 'Requests from other sites are refused.',
    fr: 'Les requêtes venant d’autres sites sont refusées.',
  },
  not_found: { en: '{subject} was not found.', fr: '{subject} est introuvable.' },
  // what not_found names
  this_page: { en: 'This page', fr: 'Cette page' },
  that_appointment: { en: 'That appointment', fr: 'Ce rendez-vous' },
  that_patient: { en: 'That patient', fr: 'Ce patient' },
  that_service: { en: 'That service', fr: 'Ce service' },
  that_practitioner: { en: 'That practitioner', fr: 'Ce praticien' },
  that_waitlist_entry: { en: 'That waitlist entry', fr: 'Cette inscription sur liste d’attente' },
  that_passkey: { en: 'That passkey', fr: 'Cette clé d’accès' },
  that_login: { en: 'That sign-in address', fr: 'Cette adresse de connexion' },
  that_family_link: { en: 'That family link', fr: 'Ce lien familial' },
  that_document: { en: 'That document', fr: 'Ce document' },
  // documents (uploads to the patient app and the API)
  unsupported_file_type: {
    en: 'This kind of file is not accepted. Send a PDF, a photo (JPEG, PNG, HEIC, WebP, TIFF), a Word or Excel file, or plain text.',
    fr: 'Ce type de fichier n’est pas accepté. Envoyez un PDF, une photo (JPEG, PNG, HEIC, WebP, TIFF), un fichier Word ou Excel, ou du texte brut.',
  },
  upload_not_multipart: {
    en: 'Send the file as multipart/form-data, its fields first and the file last.',
    fr: 'Envoyez le fichier en multipart/form-data, ses champs d’abord et le fichier en dernier.',
  },
  upload_file_missing: { en: 'Choose a file to send.', fr: 'Choisissez un fichier à envoyer.' },
  too_many_waiting_uploads: {
    en: 'The clinic has not yet looked at the {count} documents you sent. Please wait until it has, or call the clinic.',
    fr: 'Le cabinet n’a pas encore consulté les {count} documents que vous avez envoyés. Attendez qu’il l’ait fait, ou appelez le cabinet.',
  },
  // who can get into a record (logins, guardians) and what a patient may do alone
  login_in_use: {
    en: 'You are signed in with this address. Sign in with another one to remove it.',
    fr: 'Vous êtes connecté avec cette adresse. Connectez-vous avec une autre pour la retirer.',
  },
  guardian_end_adults_only: {
    en: 'Only an adult can end a guardian’s access. Please call the clinic.',
    fr: 'Seul un adulte peut mettre fin à l’accès d’un responsable. Appelez le cabinet.',
  },
  too_many_open_appointments: {
    en: 'This person has as many upcoming appointments booked online as the clinic allows ({max}). Cancel one, or call the clinic to book more.',
    fr: 'Cette personne a déjà autant de rendez-vous à venir pris en ligne que le cabinet le permet ({max}). Annulez-en un, ou appelez le cabinet pour en réserver davantage.',
  },
  too_many_dependants: {
    en: 'You have added as many family members as the app allows ({max}). Please call the clinic to add more.',
    fr: 'Vous avez ajouté autant de proches que l’application le permet ({max}). Appelez le cabinet pour en ajouter d’autres.',
  },
  // sign-in and registration
  email_invalid: { en: 'Enter a valid email address.', fr: 'Saisissez une adresse e-mail valide.' },
  mobile_number_invalid: {
    en: 'Enter a mobile number with its country code, e.g. +33 6 12 34 56 78.',
    fr: 'Saisissez un numéro de mobile avec son indicatif, par exemple +33 6 12 34 56 78.',
  },
  code_six_digits: { en: 'The code has 6 digits.', fr: 'Le code a 6 chiffres.' },
  code_invalid: {
    en: 'That code is not right or has expired. Ask for a new one.',
    fr: 'Ce code n’est pas bon ou a expiré. Demandez-en un nouveau.',
  },
  link_incomplete: { en: 'That link is not complete.', fr: 'Ce lien est incomplet.' },
  passkey_unknown: {
    en: 'That passkey is not registered here, or the sign-in expired. Use a code instead.',
    fr: 'Cette clé d’accès n’est pas enregistrée ici, ou la connexion a expiré. Utilisez un code.',
  },
  passkey_not_verified: {
    en: 'The passkey could not be verified.',
    fr: 'La clé d’accès n’a pas pu être vérifiée.',
  },
  passkey_not_added: {
    en: 'The passkey could not be added ({reason}).',
    fr: 'La clé d’accès n’a pas pu être ajoutée ({reason}).',
  },
  passkey_needs_fresh_sign_in: {
    en: 'Sign in again with a code to add a passkey.',
    fr: 'Reconnectez-vous avec un code pour ajouter une clé d’accès.',
  },
  contact_needs_fresh_sign_in: {
    en: 'Sign in again to change your email or phone number.',
    fr: 'Reconnectez-vous pour changer votre e-mail ou votre numéro de téléphone.',
  },
  contact_code_wait: {
    en: 'A code was sent less than a minute ago. Wait a minute, then ask again.',
    fr: 'Un code a été envoyé il y a moins d’une minute. Patientez une minute, puis redemandez.',
  },
  contact_codes_limited: {
    en: 'This address has had too many codes this hour. Try again later.',
    fr: 'Cette adresse a reçu trop de codes cette heure-ci. Réessayez plus tard.',
  },
  that_contact_change: {
    en: 'That new email or phone waiting for its code',
    fr: 'Ce nouvel e-mail ou téléphone en attente de son code',
  },
  invite_invalid: {
    en: 'This invitation does not work (expired, used, or the date of birth does not match).',
    fr: 'Cette invitation ne fonctionne pas (expirée, déjà utilisée, ou la date de naissance ne correspond pas).',
  },
  own_date_of_birth_invalid: {
    en: 'Enter your date of birth as YYYY-MM-DD.',
    fr: 'Saisissez votre date de naissance (AAAA-MM-JJ).',
  },
  date_of_birth_invalid: {
    en: 'Enter the date of birth as YYYY-MM-DD.',
    fr: 'Saisissez la date de naissance (AAAA-MM-JJ).',
  },
  first_name_required: { en: 'Enter the first name.', fr: 'Saisissez le prénom.' },
  last_name_required: { en: 'Enter the last name.', fr: 'Saisissez le nom.' },
  phone_invalid: {
    en: 'Enter a phone number such as +44 20 7946 0000.',
    fr: 'Saisissez un numéro de téléphone, par exemple +33 6 12 34 56 78.',
  },
  terms_not_accepted: {
    en: 'Please accept the terms to register.',
    fr: 'Veuillez accepter les conditions pour vous inscrire.',
  },
  registration_required: {
    en: 'Please finish registering first.',
    fr: 'Terminez d’abord votre inscription.',
  },
  registered_already: { en: 'You are registered already.', fr: 'Vous êtes déjà inscrit.' },
  address_registered_already: {
    en: 'This address is registered already. Sign in again.',
    fr: 'Cette adresse est déjà inscrite. Reconnectez-vous.',
  },
  registration_closed: {
    en: 'The clinic registers new patients itself. Please call the clinic.',
    fr: 'Le cabinet inscrit lui-même les nouveaux patients. Appelez le cabinet.',
  },
  address_taken: {
    en: 'That address already signs in for someone else. Please call the clinic.',
    fr: 'Cette adresse sert déjà à quelqu’un d’autre. Appelez le cabinet.',
  },
  language_tag_invalid: {
    en: 'Use a language tag such as en or fr.',
    fr: 'Utilisez un code de langue comme en ou fr.',
  },
  quiet_hours_equal: {
    en: 'Quiet hours must start and end at different times.',
    fr: 'Les heures calmes doivent commencer et finir à des heures différentes.',
  },
  quiet_hours_start_invalid: { en: 'Use a time such as 21:00.', fr: 'Saisissez une heure comme 21:00.' },
  quiet_hours_end_invalid: { en: 'Use a time such as 08:00.', fr: 'Saisissez une heure comme 08:00.' },
  push_endpoint_invalid: { en: 'The endpoint must be a URL.', fr: 'L’adresse doit être une URL.' },
  push_endpoint_not_push_service: {
    en: 'The endpoint must be a push service’s https URL.',
    fr: 'L’adresse doit être l’URL https d’un service de notifications.',
  },
  push_p256dh_invalid: {
    en: 'p256dh must be a base64url P-256 public key.',
    fr: 'p256dh doit être une clé publique P-256 en base64url.',
  },
  push_auth_invalid: { en: 'auth must be a base64url secret.', fr: 'auth doit être un secret en base64url.' },
  // booking
  choose_service: { en: 'Choose a service.', fr: 'Choisissez un service.' },
  choose_practitioner: { en: 'Choose a practitioner.', fr: 'Choisissez un praticien.' },
  choose_patient: { en: 'Choose a patient.', fr: 'Choisissez un patient.' },
  choose_open_room: { en: 'Choose an open room.', fr: 'Choisissez une salle ouverte.' },
  reason_too_long: {
    en: 'The reason for the visit: at most 500 characters.',
    fr: 'Le motif de la visite : 500 caractères au plus.',
  },
  service_id_required: { en: 'serviceId is required.', fr: 'serviceId est requis.' },
  start_time_invalid: {
    en: 'Give the start as an ISO time with offset, e.g. 2026-03-02T09:00:00Z.',
    fr: 'Donnez le début en heure ISO avec décalage, par exemple 2026-03-02T09:00:00Z.',
  },
  from_date_invalid: { en: 'from: a date as YYYY-MM-DD.', fr: 'from : une date au format AAAA-MM-JJ.' },
  to_date_invalid: { en: 'to: a date as YYYY-MM-DD.', fr: 'to : une date au format AAAA-MM-JJ.' },
  to_before_from: { en: 'to must not be before from.', fr: 'to ne doit pas être avant from.' },
  search_too_long: {
    en: 'Search at most {days} days at a time.',
    fr: 'Cherchez sur {days} jours au plus à la fois.',
  },
  slot_taken: {
    en: 'That time was just taken. Please choose another.',
    fr: 'Cet horaire vient d’être pris. Choisissez-en un autre.',
  },
  slot_unavailable: {
    en: 'That time cannot be booked. Please choose one of the offered times.',
    fr: 'Cet horaire ne peut pas être réservé. Choisissez un des horaires proposés.',
  },
  already_booked: { en: 'Already booked at that time.', fr: 'Déjà réservé à cette heure.' },
  booking_closed: {
    en: 'This cannot be booked online. Please call the clinic.',
    fr: 'Ceci ne peut pas être réservé en ligne. Appelez le cabinet.',
  },
  service_not_offered: {
    en: 'This practitioner does not offer that service.',
    fr: 'Ce praticien ne propose pas ce service.',
  },
  cancel_too_late: {
    en: 'It is too late to cancel online. Please call the clinic.',
    fr: 'Il est trop tard pour annuler en ligne. Appelez le cabinet.',
  },
  change_too_late: {
    en: 'It is too late to change this appointment online. Please call the clinic.',
    fr: 'Il est trop tard pour modifier ce rendez-vous en ligne. Appelez le cabinet.',
  },
  appointment_stale: {
    en: 'This appointment was changed meanwhile (another tab or person). Reload and try again.',
    fr: 'Ce rendez-vous a été modifié entre-temps (autre onglet ou personne). Rechargez et réessayez.',
  },
  appointment_changed_meanwhile: {
    en: 'This appointment was changed meanwhile. Reload and try again.',
    fr: 'Ce rendez-vous a été modifié entre-temps. Rechargez et réessayez.',
  },
  series_booked_by_clinic: {
    en: 'Recurring appointments are booked by the clinic.',
    fr: 'Les rendez-vous récurrents sont réservés par le cabinet.',
  },
  appointment_not_cancellable: {
    en: 'A {status} appointment cannot be cancelled.',
    fr: 'Un rendez-vous {status} ne peut pas être annulé.',
  },
  appointment_not_movable: {
    en: 'A {status} appointment cannot be moved.',
    fr: 'Un rendez-vous {status} ne peut pas être déplacé.',
  },
  // an appointment's status, as the messages above say it
  status_requested: { en: 'requested', fr: 'en attente' },
  status_booked: { en: 'booked', fr: 'confirmé' },
  status_arrived: { en: 'arrived', fr: 'arrivé' },
  status_completed: { en: 'completed', fr: 'terminé' },
  status_cancelled: { en: 'cancelled', fr: 'annulé' },
  status_no_show: { en: 'no-show', fr: 'manqué' },
  // the waitlist (issue 15, item 19)
  waitlist_duplicate: {
    en: 'You are already on the waitlist for this service and practitioner on some of these dates.',
    fr: 'Vous êtes déjà sur la liste d’attente pour ce service et ce praticien à certaines de ces dates.',
  },
  // a patient on file linking their sign-in to their record (issue 15, item 11)
  no_record_on_file: {
    en: 'No record here can be opened with this address. Create your profile, or call the clinic.',
    fr: 'Aucun dossier ne peut être ouvert avec cette adresse. Créez votre profil, ou appelez le cabinet.',
  },
  date_of_birth_not_on_record: {
    en: 'That is not the date of birth on your record. Tries left: {tries}.',
    fr: 'Ce n’est pas la date de naissance de votre dossier. Essais restants : {tries}.',
  },
  record_link_closed: {
    en: 'That is not the date of birth on your record, and no tries are left. Please call the clinic.',
    fr: 'Ce n’est pas la date de naissance de votre dossier, et il ne reste aucun essai. Appelez le cabinet.',
  },
} as const satisfies Record<string, Record<Language, string>>;

/** A message of the table. */
export type MessageKey = keyof typeof table;

type ParamNamesOf<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | ParamNamesOf<Rest>
  : never;
/** The `{name}`s a message's English takes. */
export type MessageParamNames<K extends MessageKey> = ParamNamesOf<(typeof table)[K]['en']>;
/** A parameter's value: text or a number said as it is, or a key said in the message's language. */
export type MessageParam = string | number;
export type MessageParams = Record<string, MessageParam>;

/** A message that takes no parameters. */
export type PlainMessageKey = {
  [K in MessageKey]: MessageParamNames<K> extends never ? K : never;
}[MessageKey];

/** A message of the table with its parameters (each key with exactly the parameters it names). */
export type Said = {
  [K in MessageKey]: MessageParamNames<K> extends never
    ? { key: K; params?: undefined }
    : { key: K; params: Record<MessageParamNames<K>, MessageParam> };
}[MessageKey];

/** Every key of the table. */
export const messageKeys = Object.keys(table) as MessageKey[];

/** Whether `text` is a key of the table (a zod issue's message may be one). */
export const isMessageKey = (text: string): text is MessageKey => Object.hasOwn(table, text);

/** The message `key` in `language`, its `{name}`s filled in (a parameter that is a key said in `language` too). */
export function renderMessage(key: MessageKey, language: Language, params: MessageParams = {}): string {
  return table[key][language].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'string' && isMessageKey(value) ? table[value][language] : String(value);
  });
}

/**
 * A key as a zod schema's error (`z.email({ error: issueKey('email_invalid') })`): the field
 * issue then carries the key as its code and the English as its message (lib/errors.ts
 * `issuesOf`). Typed, so a wrong key does not compile; zod's messages take no parameters.
 */
export const issueKey = (key: PlainMessageKey): PlainMessageKey => key;
