import { Hono } from 'hono';
import { domainUrl } from '../../config/index.ts';
import type { Logger } from '../../lib/log.ts';
import { type CertificatePair, type Listening, listen } from '../listen.ts';
import {
  type AcmeCertificates,
  type AcmeSettings,
  acmeCertificates,
  type ChallengeAnswers,
  type ChallengeResponder,
  http01Responder,
  type ManagedCertificate,
} from './acme-certificates.ts';
import {
  ACME_TLS_PROTOCOL,
  listenForTlsAlpn,
  TlsAlpnAnswers,
  tlsAlpn01Responder,
} from './tls-alpn-answers.ts';

/**
 * HTTPS by itself (`serve --domain`): the certificate obtained before HTTPS starts (or the
 * stored one), and its renewal — checked every 12 hours, swapped into the running server without
 * dropping a connection. The CA's challenges are answered either by a plain-HTTP listener
 * (HTTP-01, which also sends everything else to HTTPS) or on the HTTPS port itself (TLS-ALPN-01:
 * before HTTPS runs by a listener of its own there, later by the running server diverting the
 * CA's acme-tls/1 connections while the challenge is pending). A renewal that fails is logged
 * and tried again at the next check; the certificate in use stays until it expires.
 */
export interface ManagedHttps {
  /** The certificate to start HTTPS with. */
  certificate: CertificatePair;
  /** Renews into this server from now on. */
  renewInto(listening: Listening): void;
  /** Checks now; answers whether it renewed. */
  check(): Promise<boolean>;
  /** Stops the checks and the plain-HTTP listener (HTTP-01). */
  stop(): Promise<void>;
}

export interface ManagedHttpsSettings extends AcmeSettings {
  host: string;
}

export class CertificateUnavailable extends Error {}

const TWELVE_HOURS = 12 * 3_600_000;

export async function startManagedHttps(
  settings: ManagedHttpsSettings,
  deps: { log: Logger; now?: () => Date; checkEveryMs?: number },
): Promise<ManagedHttps> {
  const now = deps.now ?? (() => new Date());
  let server: Listening | null = null;
  let plain: Listening | null = null;
  let responder: ChallengeResponder;
  if (settings.challenge === 'tls-alpn-01') {
    const answers = new TlsAlpnAnswers();
    responder = tlsAlpn01Responder(answers, () =>
      server
        ? server.divertAlpn(ACME_TLS_PROTOCOL, answers.take)
        : listenForTlsAlpn(answers, settings.host, settings.httpsPort),
    );
  } else {
    const answers: ChallengeAnswers = new Map();
    plain = await listen(challengeApp(answers, domainUrl(settings.domain, settings.httpsPort)).fetch, {
      host: settings.host,
      port: settings.httpPort,
    });
    responder = http01Responder(answers);
  }
  const certs = acmeCertificates(settings, responder);
  let current: ManagedCertificate;
  try {
    current = await firstCertificate(certs, settings, deps.log, now());
  } catch (e) {
    await plain?.close(0);
    throw e;
  }
  let timer: ReturnType<typeof setInterval> | null = null;

  const check = async (): Promise<boolean> => {
    if (!certs.due(current, now())) return false;
    try {
      const next = await certs.obtain();
      await server?.setCertificate(next);
      current = next;
      deps.log.info('certificate renewed', {
        domain: settings.domain,
        validUntil: next.notAfter.toISOString(),
      });
      return true;
    } catch (e) {
      deps.log.warn('certificate not renewed yet (tried again in 12 hours)', {
        domain: settings.domain,
        validUntil: current.notAfter.toISOString(),
        error: (e as Error).message,
      });
      return false;
    }
  };

  return {
    certificate: current,
    renewInto(listening) {
      server = listening;
      timer = setInterval(() => void check(), deps.checkEveryMs ?? TWELVE_HOURS);
      timer.unref?.();
    },
    check,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await plain?.close(0);
    },
  };
}

/** The stored certificate while it is not due; else a new one — or the stored one if the CA fails. */
async function firstCertificate(
  certs: AcmeCertificates,
  settings: ManagedHttpsSettings,
  log: Logger,
  now: Date,
): Promise<ManagedCertificate> {
  const stored = certs.stored();
  if (stored && !certs.due(stored, now)) return stored;
  log.info('obtaining a certificate', { domain: settings.domain, from: settings.directoryUrl });
  try {
    const cert = await certs.obtain();
    log.info('certificate obtained', { domain: settings.domain, validUntil: cert.notAfter.toISOString() });
    return cert;
  } catch (e) {
    const why = (e as Error).message;
    if (stored && stored.notAfter > now) {
      log.warn('certificate not renewed yet; serving the stored one', {
        domain: settings.domain,
        error: why,
      });
      return stored;
    }
    const port = settings.challenge === 'tls-alpn-01' ? settings.httpsPort : settings.httpPort;
    throw new CertificateUnavailable(
      `cannot obtain a certificate for ${settings.domain} from ${settings.directoryUrl} (${settings.challenge}): ${why}. The name must point at this machine and port ${port} must be reachable from the internet (or the CA).`,
    );
  }
}

/** Port 80: the CA's challenge answers; everything else moved to HTTPS (308 keeps a POST a POST). */
function challengeApp(answers: ChallengeAnswers, base: string): Hono {
  const app = new Hono();
  app.get('/.well-known/acme-challenge/:token', (c) => {
    const answer = answers.get(c.req.param('token'));
    return answer ? c.text(answer) : c.text('not found', 404);
  });
  app.all('*', (c) => {
    const url = new URL(c.req.url);
    const method = c.req.method;
    return c.redirect(
      `${base}${url.pathname}${url.search}`,
      method === 'GET' || method === 'HEAD' ? 301 : 308,
    );
  });
  return app;
}
