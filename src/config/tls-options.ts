import { z } from 'zod';
import { choice, int, option } from './option-spec.ts';

/** Let's Encrypt's production directory: the default certificate authority for `--domain`. */
export const LETS_ENCRYPT_DIRECTORY = 'https://acme-v02.api.letsencrypt.org/directory';

const dnsName = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (v) =>
      v === '' ||
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(v),
    'expected a DNS name such as clinic.example.org',
  );

/** HTTPS by itself (`serve --domain`): certificates obtained and renewed over ACME. */
export const tlsOptions = {
  domain: option('domain <name>', dnsName, '', {
    accepts: 'empty, or a DNS name (e.g. clinic.example.org)',
    describe:
      'Serve HTTPS for this name with a certificate obtained and renewed over ACME (Let’s Encrypt by default): HTTPS on --port (give 443); with --acme-challenge http-01 also challenges and the redirect to HTTPS on --http-port. The name must point at this machine.',
  }),
  httpPort: option('http-port <port>', int(1, 65535), 80, {
    accepts: 'a port number 1–65535',
    describe:
      'With --domain and --acme-challenge http-01: the plain-HTTP port that answers ACME HTTP-01 challenges and redirects everything else to HTTPS (the CA connects to 80). Not opened with tls-alpn-01.',
  }),
  acmeChallenge: choice('acme-challenge <type>', ['http-01', 'tls-alpn-01'], 'http-01', {
    describe:
      'How the certificate authority checks that --domain is this machine: http-01 on the plain-HTTP --http-port (the CA connects to 80), or tls-alpn-01 on the HTTPS port itself (RFC 8737: the CA connects to 443) — for a clinic that can open 443 only; no plain-HTTP listener then.',
  }),
  acmeDirectory: option(
    'acme-directory <url>',
    z.string().refine((v) => /^https?:\/\/[^/]+/.test(v), 'expected an https:// URL'),
    LETS_ENCRYPT_DIRECTORY,
    {
      accepts: 'an https:// ACME directory URL',
      describe:
        'The ACME certificate authority for --domain (Let’s Encrypt’s staging directory is https://acme-staging-v02.api.letsencrypt.org/directory).',
    },
  ),
  acmeEmail: option('acme-email <email>', z.union([z.literal(''), z.email()]), '', {
    accepts: 'empty, or an email address',
    describe: 'The contact address the certificate authority may write to about the certificate.',
  }),
  acmeCaFile: option('acme-ca-file <file>', z.string(), '', {
    accepts: 'empty, or a path to a PEM certificate',
    describe:
      'Also trust this certificate when talking to the ACME directory (a private CA such as step-ca); empty = the usual public roots only.',
  }),
  acmeRenewDays: option('acme-renew-days <days>', int(1, 3650), 30, {
    accepts: 'a number of days 1–3650',
    describe:
      'Renew the certificate when it has fewer than this many days left (checked at start and every 12 hours).',
  }),
};
