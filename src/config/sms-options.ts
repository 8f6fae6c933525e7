import { z } from 'zod';
import { int, opt } from './option-spec.ts';

/** SMS: Twilio when its account is set, else any HTTP gateway when its URL is, else nothing is sent (logged). */
export const smsOptions = {
  smsHttpUrl: opt<string>({
    flag: 'sms-http-url',
    metavar: 'url',
    accepts: 'empty or an http(s) URL',
    describe: 'An HTTP SMS gateway to POST each message to (see --sms-http-body).',
    default: '',
    schema: z.string().refine((v) => v === '' || /^https?:\/\//.test(v)),
  }),
  smsHttpMethod: opt<string>({
    flag: 'sms-http-method',
    metavar: 'method',
    accepts: 'POST or PUT',
    describe: 'HTTP method for the gateway.',
    default: 'POST',
    schema: z.enum(['POST', 'PUT']),
  }),
  smsHttpBody: opt<string>({
    flag: 'sms-http-body',
    metavar: 'json',
    accepts: 'a JSON template with {{to}} and {{text}}',
    describe: 'The request body; {{to}} (E.164) and {{text}} are filled in, JSON-escaped.',
    default: '{"to":"{{to}}","text":"{{text}}"}',
    schema: z.string().refine((v) => v.includes('{{to}}') && v.includes('{{text}}')),
  }),
  smsHttpAuthHeader: opt<string>({
    flag: 'sms-http-auth-header',
    metavar: 'header',
    accepts: 'empty or "Name: value"',
    describe: 'A header sent with each gateway request, e.g. "Authorization: Bearer KEY".',
    default: '',
    schema: z.string().refine((v) => v === '' || /^[\w-]+:\s*\S/.test(v)),
  }),
  smsMonthlyLimit: opt<number>({
    flag: 'sms-monthly-limit',
    metavar: 'segments',
    accepts: 'a number of SMS segments, 0 = no limit',
    describe:
      'Monthly SMS budget. Past it, optional SMS (invitations) go by email instead; sign-in codes still go.',
    default: 0,
    schema: int(0, 10_000_000),
  }),
  twilioAccountSid: opt<string>({
    flag: 'twilio-account-sid',
    metavar: 'sid',
    accepts: 'empty or an account SID (AC…)',
    describe: 'Send SMS through Twilio with this account (with --twilio-auth-token and --twilio-from).',
    default: '',
    schema: z.string(),
  }),
  twilioAuthToken: opt<string>({
    flag: 'twilio-auth-token',
    metavar: 'token',
    accepts: 'the account’s auth token',
    describe: 'Twilio auth token.',
    default: '',
    schema: z.string(),
  }),
  twilioFrom: opt<string>({
    flag: 'twilio-from',
    metavar: 'number',
    accepts: 'an E.164 number or a sender id',
    describe: 'The sender Twilio sends from.',
    default: '',
    schema: z.string(),
  }),
  twilioApiUrl: opt<string>({
    flag: 'twilio-api-url',
    metavar: 'url',
    accepts: 'an http(s) URL',
    describe: 'Twilio’s API base URL (change only for a stand-in in tests).',
    default: 'https://api.twilio.com',
    schema: z.string().refine((v) => /^https?:\/\//.test(v)),
  }),
  smsInboundSecret: opt<string>({
    flag: 'sms-inbound-secret',
    metavar: 'secret',
    accepts: 'empty, or at least 16 characters',
    describe:
      'Shared secret an HTTP SMS gateway sends with each SMS it receives (header X-Clinicbox-Secret) to POST /webhooks/sms/http; empty = that URL is off. Twilio’s inbound webhook (/webhooks/sms/twilio) is checked with --twilio-auth-token instead.',
    default: '',
    schema: z.string().refine((v) => v === '' || v.length >= 16),
  }),
};
