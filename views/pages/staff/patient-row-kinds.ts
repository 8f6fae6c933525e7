/**
 * What the erase and merge confirmation screens call the kinds of rows a record owns in the
 * patient app and in its own history, alike on both (each screen adds its own kinds around them).
 */
export const appAndRecordKindLabels: Record<string, string> = {
  logins: 'Patient app sign-in addresses',
  sessions: 'Patient app sessions',
  passkeys: 'Patient app passkeys',
  invites: 'Invitations to the app',
  contactChanges: 'Contact changes waiting for a code',
  recordHistory: 'Changes in the record’s history',
  alerts: 'Alerts',
  guardianLinks: 'Family links (guardians and dependants)',
};
