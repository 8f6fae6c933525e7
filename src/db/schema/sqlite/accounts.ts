import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The accounts area: staff, their sessions, one-time links, second factors and passkeys. */

/** Staff members who sign in to /staff. Email is stored lower-cased. */
export const staffAccounts = sqliteTable('staff_accounts', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ['admin', 'practitioner', 'reception'] }).notNull(),
  status: text('status', { enum: ['active', 'deactivated'] }).notNull(),
  passwordHash: text('password_hash'),
  totpSecret: text('totp_secret'),
  totpLastStep: integer('totp_last_step'),
  /** The session that started a not-yet-confirmed TOTP set-up: only it sees the pending secret. */
  totpPendingSession: text('totp_pending_session'),
  mfaEnrolledAt: integer('mfa_enrolled_at', { mode: 'timestamp_ms' }),
  /** Wrong second-factor answers in the hour from `mfa_failures_window_start`; 10 lock the factor. */
  mfaFailures: integer('mfa_failures').notNull().default(0),
  mfaFailuresWindowStart: integer('mfa_failures_window_start', { mode: 'timestamp_ms' }),
  mfaLockedUntil: integer('mfa_locked_until', { mode: 'timestamp_ms' }),
  /** How this member hears of online bookings and cancellations in their calendar. */
  bookingAlerts: text('booking_alerts', { enum: ['email', 'none'] })
    .notNull()
    .default('email'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Signed-in staff sessions; the id is the SHA-256 of the cookie's token, never the token. */
export const staffSessions = sqliteTable(
  'staff_sessions',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    mfaVerified: integer('mfa_verified', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    /** When the member last proved who they are (password or second factor): sensitive changes need it recent. */
    reauthenticatedAt: integer('reauthenticated_at', { mode: 'timestamp_ms' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('staff_sessions_account').on(t.accountId)],
);

/** One-time links (first-run setup, set password, forgotten-password reset); the id is the SHA-256 of the link's token. */
export const staffTokens = sqliteTable('staff_tokens', {
  id: text('id').primaryKey(),
  purpose: text('purpose', { enum: ['setup', 'set-password', 'reset-password'] }).notNull(),
  accountId: text('account_id').references(() => staffAccounts.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Second-factor recovery codes, stored hashed; each works once. */
export const staffRecoveryCodes = sqliteTable(
  'staff_recovery_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('staff_recovery_codes_account').on(t.accountId)],
);

/** Staff passkeys (WebAuthn credentials); the id is the credential id (base64url). */
export const staffPasskeys = sqliteTable(
  'staff_passkeys',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    publicKey: text('public_key').notNull(),
    counter: integer('counter').notNull(),
    transports: text('transports', { mode: 'json' }).$type<string[]>(),
    name: text('name').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('staff_passkeys_account').on(t.accountId)],
);

/** One-time WebAuthn challenges, kept on the server so an answer cannot be replayed. */
export const authChallenges = sqliteTable('auth_challenges', {
  challenge: text('challenge').primaryKey(),
  purpose: text('purpose', {
    enum: ['passkey-register', 'passkey-sign-in', 'patient-passkey-register', 'patient-passkey-sign-in'],
  }).notNull(),
  accountId: text('account_id'),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});
