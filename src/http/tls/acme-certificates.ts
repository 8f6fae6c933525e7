import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import * as acme from 'acme-client';
import { writeDurably } from '../../lib/durable-file.ts';
import type { CertificatePair } from '../listen.ts';

/**
 * The certificate of `--domain`, obtained and renewed over ACME (RFC 8555, `acme-client`) with
 * HTTP-01 or TLS-ALPN-01 (RFC 8737) challenges, kept in `<data-dir>/acme/` (keys 0600): the
 * account key once, and per domain its key and certificate chain, each replaced whole (written
 * aside, fsynced, renamed).
 */
export interface AcmeSettings {
  domain: string;
  directoryUrl: string;
  /** Contact address for the CA ('' = none). */
  email: string;
  /** A PEM file to trust besides the public roots when talking to the directory ('' = none). */
  caFile: string;
  /** Renew when fewer than this many days are left. */
  renewDays: number;
  /** How the CA checks the domain: on the plain-HTTP port, or on the HTTPS port itself. */
  challenge: ChallengeType;
  /** The plain-HTTP port HTTP-01 challenges are answered on (acme-client checks it before asking the CA). */
  httpPort: number;
  /** The HTTPS port TLS-ALPN-01 challenges are answered on (checked the same way). */
  httpsPort: number;
  dataPath: string;
}

export interface ManagedCertificate extends CertificatePair {
  notAfter: Date;
}

export type ChallengeType = 'http-01' | 'tls-alpn-01';

/** Answers HTTP-01 challenges: token → key authorization, while an order is open. */
export type ChallengeAnswers = Map<string, string>;

/** Puts up, before the CA is told to check, and takes down the answer to one challenge. */
export interface ChallengeResponder {
  type: ChallengeType;
  create(authz: acme.Authorization, token: string, keyAuthorization: string): Promise<void>;
  remove(authz: acme.Authorization, token: string): Promise<void>;
}

/** HTTP-01: the answers the plain-HTTP listener serves at /.well-known/acme-challenge/<token>. */
export const http01Responder = (answers: ChallengeAnswers): ChallengeResponder => ({
  type: 'http-01',
  async create(_authz, token, keyAuthorization) {
    answers.set(token, keyAuthorization);
  },
  async remove(_authz, token) {
    answers.delete(token);
  },
});

export interface AcmeCertificates {
  /** The stored certificate for the domain, or null (none yet, or one for another name). */
  stored(): ManagedCertificate | null;
  /** Is it time to renew this certificate (or to obtain one)? */
  due(cert: ManagedCertificate | null, now: Date): boolean;
  /** Obtains a new certificate from the CA, stores it, and answers it. */
  obtain(): Promise<ManagedCertificate>;
}

const DAY_MS = 86_400_000;

export function acmeCertificates(settings: AcmeSettings, responder: ChallengeResponder): AcmeCertificates {
  const folder = join(settings.dataPath, 'acme');
  const domainFolder = join(folder, settings.domain);
  const paths = {
    account: join(folder, 'account.key'),
    key: join(domainFolder, 'key.pem'),
    cert: join(domainFolder, 'cert.pem'),
  };

  const readStored = (): ManagedCertificate | null => {
    if (!existsSync(paths.cert) || !existsSync(paths.key)) return null;
    const cert = readFileSync(paths.cert, 'utf8');
    const info = acme.crypto.readCertificateInfo(cert);
    const names = [info.domains.commonName, ...info.domains.altNames];
    const key = readFileSync(paths.key, 'utf8');
    if (
      !names.includes(settings.domain) ||
      !new X509Certificate(cert).checkPrivateKey(createPrivateKey(key))
    ) {
      return null;
    }
    return { cert, key, notAfter: info.notAfter };
  };

  const accountKey = async (): Promise<string> => {
    if (existsSync(paths.account)) return readFileSync(paths.account, 'utf8');
    const key = (await acme.crypto.createPrivateEcdsaKey()).toString();
    writeDurably(paths.account, key);
    return key;
  };

  return {
    stored: readStored,
    due(cert, now) {
      return !cert || cert.notAfter.getTime() - now.getTime() < settings.renewDays * DAY_MS;
    },
    async obtain() {
      mkdirSync(domainFolder, { recursive: true, mode: 0o700 });
      useDirectoryTrust(settings);
      // A few quick retries: a CA that is down fails the start in seconds (renewals retry later).
      const client = new acme.Client({
        directoryUrl: settings.directoryUrl,
        accountKey: await accountKey(),
        backoffAttempts: 3,
        backoffMin: 500,
        backoffMax: 4000,
      });
      const [key, csr] = await acme.crypto.createCsr(
        { commonName: settings.domain, altNames: [settings.domain] },
        await acme.crypto.createPrivateEcdsaKey(),
      );
      const cert = await withNetworkReason(async () => {
        // Registered (or found again) here, not by auto(): with no email, auto() would update an
        // existing account with no contact at all, an "empty update" a CA may refuse (pebble
        // does) — every renewal after a restart would fail. An empty contact list is a change.
        await client.createAccount({
          termsOfServiceAgreed: true,
          contact: settings.email ? [`mailto:${settings.email}`] : [],
        });
        return client.auto({
          csr,
          termsOfServiceAgreed: true,
          challengePriority: [responder.type],
          challengeCreateFn: (authz, challenge, keyAuthorization) =>
            responder.create(authz, challenge.token, keyAuthorization),
          challengeRemoveFn: (authz, challenge) => responder.remove(authz, challenge.token),
        });
      });
      // The key first: a crash between the two leaves a new key beside the old certificate,
      // which `stored` refuses (they do not match), so the next start obtains one again.
      writeDurably(paths.key, key.toString());
      writeDurably(paths.cert, cert);
      return { cert, key: key.toString(), notAfter: acme.crypto.readCertificateInfo(cert).notAfter };
    },
  };
}

/**
 * acme-client talks through its own axios instance: trust the extra CA file (a private ACME
 * server) besides the public roots, and check our challenge answers on the port they are served.
 */
function useDirectoryTrust(settings: AcmeSettings): void {
  const defaults = acme.axios.defaults as typeof acme.axios.defaults & {
    acmeSettings: {
      httpChallengePort: number;
      tlsAlpnChallengePort: number;
      retryMaxAttempts: number;
      retryDefaultDelay: number;
    };
  };
  defaults.acmeSettings.httpChallengePort = settings.httpPort;
  defaults.acmeSettings.tlsAlpnChallengePort = settings.httpsPort;
  // Two retries 1 s and 2 s apart (not five, 75 s in all): a start with the CA down fails quickly.
  defaults.acmeSettings.retryMaxAttempts = 2;
  defaults.acmeSettings.retryDefaultDelay = 1;
  if (settings.caFile) {
    defaults.httpsAgent = new Agent({ ca: [...rootCertificates, readFileSync(settings.caFile, 'utf8')] });
  }
}

/** The network error acme-client last retried (its logger is the only place that names it). */
let lastNetworkError = '';
acme.setLogger((line) => {
  const caught = /^Caught (\S+), retry attempt .* to URL (\S+)/.exec(line);
  if (caught) lastNetworkError = `${caught[1]} from ${caught[2]}`;
});

/**
 * When the CA never answered, acme-client's retry ends in a TypeError about a missing response;
 * say what really happened (e.g. ECONNREFUSED from https://…/directory).
 */
async function withNetworkReason<T>(run: () => Promise<T>): Promise<T> {
  lastNetworkError = '';
  try {
    return await run();
  } catch (e) {
    if (e instanceof TypeError && lastNetworkError) throw new Error(`no answer (${lastNetworkError})`);
    throw e;
  }
}
