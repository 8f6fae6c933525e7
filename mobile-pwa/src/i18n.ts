/**
 * The app's words in English and French, and dates in the patient's language but always in the
 * clinic's time zone (an appointment at 09:00 in Paris stays 09:00 on a phone set to New York).
 * Intl does the formatting; no date library is needed in the browser.
 */
const en = {
  appTitle: 'Your clinic',
  skip: 'Skip to content',
  navHome: 'Home',
  navBook: 'Book',
  navAppointments: 'Appointments',
  navProfile: 'Profile',
  loading: 'Loading…',
  offlineBanner:
    'You are offline. You see what was saved on this phone; booking and cancelling need a connection.',
  retry: 'Try again',
  newVersion: 'A new version of the app is ready.',
  reload: 'Update now',
  networkError: 'The clinic could not be reached. Check your connection and try again.',
  back: 'Back',
  // sign-in
  signInTitle: 'Sign in',
  signInIntro: 'We send you a one-time code. No password needed.',
  byEmail: 'Email',
  byPhone: 'Mobile phone',
  email: 'Email address',
  phone: 'Mobile number',
  phoneHint: 'With the country code, for example +33 6 12 34 56 78.',
  sendCode: 'Send me a code',
  codeSentEmail: 'We sent a 6-digit code to {to}. It works for 10 minutes.',
  codeSentPhone: 'We texted a 6-digit code to {to}. It works for 10 minutes.',
  code: 'Code',
  signIn: 'Sign in',
  useOther: 'Use another address',
  withPasskey: 'Sign in with a passkey',
  passkeyFailed: 'The passkey did not work. Sign in with a code instead.',
  signingIn: 'Signing you in…',
  linkFailed: 'That sign-in link did not work here. Ask for a new code.',
  // invite
  inviteTitle: 'Your invitation',
  inviteIntro: 'To finish, confirm your date of birth.',
  dateOfBirth: 'Date of birth',
  accept: 'Confirm',
  // registration
  registerTitle: 'Create your profile',
  registerIntro: 'Your clinic needs a few details before your first booking.',
  firstName: 'First name',
  lastName: 'Last name',
  phoneOptional: 'Mobile number (optional)',
  consentEmail: 'Send me messages about my appointments by email',
  consentSms: 'Send me messages about my appointments by SMS',
  acceptTerms: 'I agree that the clinic stores these details to manage my care.',
  register: 'Create profile',
  registrationClosed: 'This clinic does not take new patients online. Please call the clinic.',
  // home
  hello: 'Hello {name}',
  nextAppointment: 'Your next appointment',
  noUpcoming: 'You have no upcoming appointment.',
  bookAppointment: 'Book an appointment',
  bookAgain: 'Book again: {service} with {practitioner}',
  reschedule: 'Change time',
  cancel: 'Cancel appointment',
  cancelConfirm: 'Cancel this appointment?',
  cancelYes: 'Yes, cancel it',
  cancelNo: 'Keep it',
  tooLate: 'It is too late to change this appointment online. Please call the clinic{phone}.',
  addToCalendar: 'Add to calendar',
  withPractitioner: 'with {name}',
  // statuses
  status_requested: 'Awaiting confirmation',
  status_booked: 'Booked',
  status_arrived: 'Arrived',
  status_completed: 'Done',
  status_no_show: 'Missed',
  status_cancelled: 'Cancelled',
  // booking
  bookTitle: 'Book an appointment',
  rescheduleTitle: 'Choose a new time',
  stepService: 'What is it for?',
  stepPractitioner: 'With whom?',
  firstAvailable: 'First available',
  firstAvailableHint: 'Anyone who offers this service',
  stepDay: 'Which day?',
  stepTime: 'What time?',
  stepConfirm: 'Check and confirm',
  when: 'When',
  minutes: '{n} min',
  // plural keys: <name>_<Intl.PluralRules category>, said with i18n.count('<name>', n)
  slotsOnDay_one: '{n} time',
  slotsOnDay_other: '{n} times',
  noSlots: 'No free time in these dates.',
  laterDates: 'Later dates',
  earlierDates: 'Earlier dates',
  joinWaitlist: 'Join the waitlist for earlier times',
  whoFor: 'Who is the appointment for?',
  me: 'Me',
  confirmBook: 'Book',
  confirmMove: 'Move my appointment',
  booking: 'Booking…',
  bookedTitle: 'You are booked',
  requestedTitle: 'Request sent',
  requestedIntro: 'The clinic will confirm it; we will let you know.',
  movedTitle: 'Your appointment has moved',
  slotTaken: 'Someone has just taken that time. Please choose another.',
  stale: 'This appointment changed in the meantime. Please look at it again.',
  done: 'Done',
  needsApproval: 'The clinic confirms this booking',
  noServices: 'Online booking is not available. Please call the clinic.',
  // push
  pushTitle: 'Reminders on this phone?',
  pushIntro: 'We can remind you before your appointments with a notification. No health details are shown.',
  pushOn: 'Turn on reminders',
  pushNotNow: 'Not now',
  pushEnabled: 'Reminders are on for this phone.',
  pushFailed: 'Notifications could not be turned on on this phone.',
  // appointments
  appointmentsTitle: 'My appointments',
  upcoming: 'Upcoming',
  past: 'Past',
  noPast: 'No past appointments.',
  // waitlist
  waitlistTitle: 'Waitlist',
  waitlistIntro: 'Tell us which dates suit you: if a time frees up, we send you a link to book it.',
  service: 'Service',
  practitioner: 'Practitioner',
  anyone: 'Anyone',
  fromDate: 'From',
  toDate: 'To',
  join: 'Join the waitlist',
  leave: 'Leave',
  joined: 'You are on the waitlist.',
  noWaitlist: 'You are not on any waitlist.',
  waitlistStatus_waiting: 'Waiting',
  waitlistStatus_booked: 'Booked',
  waitlistStatus_removed: 'Removed',
  // profile
  profileTitle: 'Profile',
  details: 'My details',
  language: 'Language',
  notifications: 'Messages',
  notificationsIntro: 'About your appointments: confirmations, changes and reminders.',
  bySms: 'SMS',
  byPush: 'Notifications on this phone',
  quietHours: 'No SMS at night (quiet hours)',
  quietFrom: 'From',
  quietTo: 'Until',
  save: 'Save',
  saved: 'Saved.',
  family: 'Family members',
  familyIntro: 'Book for children or others you care for.',
  addFamily: 'Add a family member',
  add: 'Add',
  viewing: 'Showing',
  passkeys: 'Passkeys',
  passkeysIntro: 'Sign in with your fingerprint, face or screen lock instead of a code.',
  addPasskey: 'Add a passkey on this phone',
  passkeyAdded: 'Passkey added.',
  passkeyName: 'My phone',
  remove: 'Remove',
  signOut: 'Sign out',
  signOutEverywhere: 'Sign out on every device',
  comingSoon: 'Documents, forms and messages will appear here.',
  phoneLabel: 'Phone',
  emailLabel: 'Email',
  contactTitle: 'Email and phone',
  notGiven: 'Not given',
  contactPending: 'pending — enter the code we sent',
  contactPendingNote: 'Until then, messages keep going to the details above.',
  codeSentTo: 'Code sent to {to}',
  confirmCode: 'Confirm',
  sendNewCode: 'Send a new code',
  codeResent: 'A new code is on its way.',
  changeContact: 'Change email or phone',
  contactCodeSent: 'We sent a code to the new address. Enter it above to start using it.',
  accessTitle: 'Who can sign in',
  accessIntro: 'These addresses open your record in this app. Remove any you do not know.',
  signedInHere: 'signed in here',
  guardiansTitle: 'Who books for you',
  guardiansIntro: 'They can book for you and see your appointments. An adult can end their access.',
  endAccess: 'End access',
  // issue 15, items 18-20 (H7): booked summary, resend code, requests, cancelled list, reason
  where: 'Where',
  resendCode: 'Resend code',
  resendAt: 'You can ask for a new code at {time}.',
  sendRequest: 'Send request',
  sendingRequest: 'Sending…',
  cancelledList: 'Cancelled',
  visitReason: 'Reason for your visit (optional)',
  visitReasonHint: 'Anything the clinic should know before you come. At most 500 characters.',
  reason: 'Reason',
  reasonOnCard: 'Reason: {reason}',
  // issue 15, item 11 (H5): a patient on file opens their record instead of registering again
  recordTitle: 'Open your record',
  recordIntro:
    'The clinic already has a record with this address. To open it, enter the date of birth on it.',
  openRecord: 'Open my record',
  notMyRecord: 'This is not my record: create a new profile',
};

export type MessageKey = keyof typeof en;
/** A message said by count: its `<name>_one`, `<name>_other`… keys (Intl.PluralRules categories). */
export type CountKey = { [K in MessageKey]: K extends `${infer Name}_other` ? Name : never }[MessageKey];
type Messages = Record<MessageKey, string>;

const fr: Messages = {
  appTitle: 'Votre cabinet',
  skip: 'Aller au contenu',
  navHome: 'Accueil',
  navBook: 'Réserver',
  navAppointments: 'Rendez-vous',
  navProfile: 'Profil',
  loading: 'Chargement…',
  offlineBanner:
    'Vous êtes hors ligne. Vous voyez ce qui est enregistré sur ce téléphone ; réserver et annuler demandent une connexion.',
  retry: 'Réessayer',
  newVersion: 'Une nouvelle version de l’application est prête.',
  reload: 'Mettre à jour',
  networkError: 'Le cabinet est injoignable. Vérifiez votre connexion et réessayez.',
  back: 'Retour',
  signInTitle: 'Connexion',
  signInIntro: 'Nous vous envoyons un code à usage unique. Pas de mot de passe.',
  byEmail: 'E-mail',
  byPhone: 'Téléphone mobile',
  email: 'Adresse e-mail',
  phone: 'Numéro de mobile',
  phoneHint: 'Avec l’indicatif du pays, par exemple +33 6 12 34 56 78.',
  sendCode: 'Recevoir un code',
  codeSentEmail: 'Nous avons envoyé un code à 6 chiffres à {to}. Il est valable 10 minutes.',
  codeSentPhone: 'Nous avons envoyé un code à 6 chiffres par SMS au {to}. Il est valable 10 minutes.',
  code: 'Code',
  signIn: 'Se connecter',
  useOther: 'Utiliser une autre adresse',
  withPasskey: 'Se connecter avec une clé d’accès',
  passkeyFailed: 'La clé d’accès n’a pas fonctionné. Connectez-vous avec un code.',
  signingIn: 'Connexion…',
  linkFailed: 'Ce lien de connexion ne fonctionne pas ici. Demandez un nouveau code.',
  inviteTitle: 'Votre invitation',
  inviteIntro: 'Pour terminer, confirmez votre date de naissance.',
  dateOfBirth: 'Date de naissance',
  accept: 'Confirmer',
  registerTitle: 'Créer votre profil',
  registerIntro: 'Votre cabinet a besoin de quelques informations avant votre premier rendez-vous.',
  firstName: 'Prénom',
  lastName: 'Nom',
  phoneOptional: 'Numéro de mobile (facultatif)',
  consentEmail: 'M’envoyer les messages sur mes rendez-vous par e-mail',
  consentSms: 'M’envoyer les messages sur mes rendez-vous par SMS',
  acceptTerms: 'J’accepte que le cabinet conserve ces informations pour mes soins.',
  register: 'Créer le profil',
  registrationClosed: 'Ce cabinet n’accepte pas de nouveaux patients en ligne. Appelez le cabinet.',
  hello: 'Bonjour {name}',
  nextAppointment: 'Votre prochain rendez-vous',
  noUpcoming: 'Vous n’avez aucun rendez-vous à venir.',
  bookAppointment: 'Prendre rendez-vous',
  bookAgain: 'Reprendre : {service} avec {practitioner}',
  reschedule: 'Changer l’heure',
  cancel: 'Annuler le rendez-vous',
  cancelConfirm: 'Annuler ce rendez-vous ?',
  cancelYes: 'Oui, l’annuler',
  cancelNo: 'Le garder',
  tooLate: 'Il est trop tard pour modifier ce rendez-vous en ligne. Appelez le cabinet{phone}.',
  addToCalendar: 'Ajouter au calendrier',
  withPractitioner: 'avec {name}',
  status_requested: 'En attente de confirmation',
  status_booked: 'Confirmé',
  status_arrived: 'Arrivé',
  status_completed: 'Terminé',
  status_no_show: 'Manqué',
  status_cancelled: 'Annulé',
  bookTitle: 'Prendre rendez-vous',
  rescheduleTitle: 'Choisir une nouvelle heure',
  stepService: 'Pour quel motif ?',
  stepPractitioner: 'Avec qui ?',
  firstAvailable: 'Premier disponible',
  firstAvailableHint: 'Toute personne qui propose ce service',
  stepDay: 'Quel jour ?',
  stepTime: 'À quelle heure ?',
  stepConfirm: 'Vérifier et confirmer',
  when: 'Quand',
  minutes: '{n} min',
  slotsOnDay_one: '{n} horaire',
  slotsOnDay_other: '{n} horaires',
  noSlots: 'Aucun horaire libre à ces dates.',
  laterDates: 'Dates suivantes',
  earlierDates: 'Dates précédentes',
  joinWaitlist: 'M’inscrire sur la liste d’attente',
  whoFor: 'Pour qui est le rendez-vous ?',
  me: 'Moi',
  confirmBook: 'Réserver',
  confirmMove: 'Déplacer mon rendez-vous',
  booking: 'Réservation…',
  bookedTitle: 'C’est réservé',
  requestedTitle: 'Demande envoyée',
  requestedIntro: 'Le cabinet va la confirmer ; nous vous préviendrons.',
  movedTitle: 'Votre rendez-vous a été déplacé',
  slotTaken: 'Cet horaire vient d’être pris. Choisissez-en un autre.',
  stale: 'Ce rendez-vous a changé entre-temps. Regardez-le à nouveau.',
  done: 'Terminé',
  needsApproval: 'Le cabinet confirme cette réservation',
  noServices: 'La réservation en ligne n’est pas disponible. Appelez le cabinet.',
  pushTitle: 'Des rappels sur ce téléphone ?',
  pushIntro:
    'Nous pouvons vous rappeler vos rendez-vous par une notification. Aucune information de santé n’y figure.',
  pushOn: 'Activer les rappels',
  pushNotNow: 'Pas maintenant',
  pushEnabled: 'Les rappels sont activés sur ce téléphone.',
  pushFailed: 'Les notifications n’ont pas pu être activées sur ce téléphone.',
  appointmentsTitle: 'Mes rendez-vous',
  upcoming: 'À venir',
  past: 'Passés',
  noPast: 'Aucun rendez-vous passé.',
  waitlistTitle: 'Liste d’attente',
  waitlistIntro:
    'Indiquez les dates qui vous conviennent : si un horaire se libère, nous vous envoyons un lien pour le réserver.',
  service: 'Service',
  practitioner: 'Praticien',
  anyone: 'N’importe qui',
  fromDate: 'Du',
  toDate: 'Au',
  join: 'M’inscrire',
  leave: 'Quitter',
  joined: 'Vous êtes sur la liste d’attente.',
  noWaitlist: 'Vous n’êtes sur aucune liste d’attente.',
  waitlistStatus_waiting: 'En attente',
  waitlistStatus_booked: 'Réservé',
  waitlistStatus_removed: 'Retiré',
  profileTitle: 'Profil',
  details: 'Mes informations',
  language: 'Langue',
  notifications: 'Messages',
  notificationsIntro: 'Sur vos rendez-vous : confirmations, changements et rappels.',
  bySms: 'SMS',
  byPush: 'Notifications sur ce téléphone',
  quietHours: 'Pas de SMS la nuit (heures calmes)',
  quietFrom: 'De',
  quietTo: 'À',
  save: 'Enregistrer',
  saved: 'Enregistré.',
  family: 'Membres de la famille',
  familyIntro: 'Réservez pour vos enfants ou les personnes dont vous vous occupez.',
  addFamily: 'Ajouter un membre de la famille',
  add: 'Ajouter',
  viewing: 'Affichage',
  passkeys: 'Clés d’accès',
  passkeysIntro: 'Connectez-vous avec votre empreinte, votre visage ou le verrouillage de l’écran.',
  addPasskey: 'Ajouter une clé d’accès sur ce téléphone',
  passkeyAdded: 'Clé d’accès ajoutée.',
  passkeyName: 'Mon téléphone',
  remove: 'Retirer',
  signOut: 'Se déconnecter',
  signOutEverywhere: 'Se déconnecter de tous les appareils',
  comingSoon: 'Les documents, formulaires et messages apparaîtront ici.',
  phoneLabel: 'Téléphone',
  emailLabel: 'E-mail',
  contactTitle: 'E-mail et téléphone',
  notGiven: 'Non renseigné',
  contactPending: 'en attente — saisissez le code envoyé',
  contactPendingNote: 'D’ici là, les messages continuent d’arriver aux coordonnées ci-dessus.',
  codeSentTo: 'Code envoyé à {to}',
  confirmCode: 'Confirmer',
  sendNewCode: 'Envoyer un nouveau code',
  codeResent: 'Un nouveau code est en route.',
  changeContact: 'Changer d’e-mail ou de téléphone',
  contactCodeSent: 'Nous avons envoyé un code à la nouvelle adresse. Saisissez-le ci-dessus pour l’utiliser.',
  accessTitle: 'Qui peut se connecter',
  accessIntro:
    'Ces adresses ouvrent votre dossier dans cette application. Retirez celles que vous ne connaissez pas.',
  signedInHere: 'connecté ici',
  guardiansTitle: 'Qui réserve pour vous',
  guardiansIntro:
    'Ces personnes peuvent réserver pour vous et voir vos rendez-vous. Un adulte peut mettre fin à leur accès.',
  endAccess: 'Mettre fin à l’accès',
  where: 'Lieu',
  resendCode: 'Renvoyer le code',
  resendAt: 'Vous pourrez demander un nouveau code à {time}.',
  sendRequest: 'Envoyer la demande',
  sendingRequest: 'Envoi…',
  cancelledList: 'Annulés',
  visitReason: 'Motif de la visite (facultatif)',
  visitReasonHint: 'Ce que le cabinet doit savoir avant votre venue. 500 caractères au plus.',
  reason: 'Motif',
  reasonOnCard: 'Motif : {reason}',
  recordTitle: 'Ouvrir votre dossier',
  recordIntro:
    'Le cabinet a déjà un dossier avec cette adresse. Pour l’ouvrir, saisissez la date de naissance qui y figure.',
  openRecord: 'Ouvrir mon dossier',
  notMyRecord: 'Ce n’est pas mon dossier : créer un nouveau profil',
};

export const languages = { en: 'English', fr: 'Français' } as const;
export type Language = keyof typeof languages;
const catalogues: Record<Language, Messages> = { en, fr };

/** The patient's saved choice, else the browser's first supported language, else English. */
export function pickLanguage(preferred: string | null | undefined, browser: readonly string[]): Language {
  for (const tag of [preferred, ...browser]) {
    const base = tag?.toLowerCase().split('-')[0];
    if (base && base in catalogues) return base as Language;
  }
  return 'en';
}

export interface I18n {
  lang: Language;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** "Tuesday 3 March, 09:30" in the clinic's zone. */
  dateTime(iso: string): string;
  /** "Tuesday 3 March" for a clinic-local YYYY-MM-DD. */
  day(isoDate: string): string;
  /** "09:30" in the clinic's zone. */
  time(iso: string): string;
  /** `{n}` with the words the language's plural rules pick: "1 time", "2 times", "0 horaire". */
  count(key: CountKey, n: number): string;
  /** "10 October 1990" for a YYYY-MM-DD (a date of birth: with its year, no weekday). */
  fullDate(isoDate: string): string;
  /** "10:42" on this phone's own clock (a wait on this phone, not a time at the clinic). */
  clock(at: number | Date): string;
}

export function createI18n(lang: Language, locale: string, timeZone: string): I18n {
  const messages = catalogues[lang];
  const zone = { timeZone };
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    ...zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });
  const dayFormat = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  });
  const timeFormat = new Intl.DateTimeFormat(locale, { ...zone, hour: '2-digit', minute: '2-digit' });
  const fullDateFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'long' });
  const clockFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const plurals = new Intl.PluralRules(lang);
  const t: I18n['t'] = (key, vars) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars && name in vars ? String(vars[name]) : whole,
    );
  return {
    lang,
    t,
    count: (key, n) => {
      const exact = `${key}_${plurals.select(n)}`;
      return t((exact in messages ? exact : `${key}_other`) as MessageKey, { n });
    },
    fullDate: (isoDate) => fullDateFormat.format(new Date(`${isoDate}T12:00:00Z`)),
    clock: (at) => clockFormat.format(at),
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    day: (isoDate) => dayFormat.format(new Date(`${isoDate}T12:00:00Z`)),
    time: (iso) => timeFormat.format(new Date(iso)),
  };
}

/** The clinic-local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(iso: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** YYYY-MM-DD plus n days (calendar arithmetic on the date alone). */
export function addDays(isoDate: string, n: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
