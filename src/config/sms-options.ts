import { z } from 'zod';
import { choice, emptyOr, int, option } from './option-spec.ts';

/** SMS: Twilio when its account is set, else any HTTP gateway when its URL is, else nothing is sent (logged). */
export const smsOptions = {
  smsHttpUrl: option('sms-http-url <url>', emptyOr(/^https?:\/\//), '', {
    accepts: 'empty or an http(s) URL',
    describe: 'An HTTP SMS gateway to POST each message to (see --sms-http-body).',
  }),
  smsHttpMethod: choice('sms-http-method <method>', ['POST', 'PUT'], 'POST', {
    describe: 'HTTP method for the gateway.',
  }),
  smsHttpBody: option(
    'sms-http-body <json>',
    z.string().refine((v) => v.includes('{{to}}') && v.includes('{{text}}')),
    '{"to":"{{to}}","text":"{{text}}"}',
    {
      accepts: 'a JSON template with {{to}} and {{text}}',
      describe: 'The request body; {{to}} (E.164) and {{text}} are filled in, JSON-escaped.',
    },
  ),
  smsHttpAuthHeader: option('sms-http-auth-header <header>', emptyOr(/^[\w-]+:\s*\S/), '', {
    accepts: 'empty or "Name: value"',
    describe: 'A header sent with each gateway request, e.g. "Authorization: Bearer KEY".',
  }),
  smsMonthlyLimit: option('sms-monthly-limit <segments>', int(0, 10_000_000), 0, {
    accepts: 'a number of SMS segments, 0 = no limit',
    describe:
      'Monthly SMS budget. Past it, optional SMS (invitations) go by email instead; sign-in codes still go.',
  }),
  twilioAccountSid: option('twilio-account-sid <sid>', z.string(), '', {
    accepts: 'empty or an account SID (AC…)',
    describe: 'Send SMS through Twilio with this account (with --twilio-auth-token and --twilio-from).',
  }),
  twilioAuthToken: option('twilio-auth-token <token>', z.string(), '', {
    accepts: 'the account’s auth token',
    describe: 'Twilio auth token.',
  }),
  twilioFrom: option('twilio-from <number>', z.string(), '', {
    accepts: 'an E.164 number or a sender id',
    describe: 'The sender Twilio sends from.',
  }),
  twilioApiUrl: option(
    'twilio-api-url <url>',
    z.string().refine((v) => /^https?:\/\//.test(v)),
    'https://api.twilio.com',
    {
      accepts: 'an http(s) URL',
      describe: 'Twilio’s API base URL (change only for a stand-in in tests).',
    },
  ),
  smsInboundSecret: option(
    'sms-inbound-secret <secret>',
    z.string().refine((v) => v === '' || v.length >= 16),
    '',
    {
      accepts: 'empty, or at least 16 characters',
      describe:
        'Shared secret an HTTP SMS gateway sends with each SMS it receives (header X-Clinicbox-Secret) to POST /webhooks/sms/http; empty = that URL is off. Twilio’s inbound webhook (/webhooks/sms/twilio) is checked with --twilio-auth-token instead.',
    },
  ),
};
