import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import {
  backupOptions,
  boolOption,
  configFrom,
  dataOptions,
  mailOptions,
  metricsOptions,
  patientOptions,
  publicUrlOf,
  serverOptions,
  smsOptions,
  ssoOptions,
  staffOptions,
  storageOptions,
  tlsOptions,
  UsageError,
  workerOptions,
} from '../config/index.ts';
import { type Listening, listen } from '../http/listen.ts';
import { metricsOnlyApp } from '../http/metrics.ts';
import type { ManagedHttps } from '../http/tls/managed-https.ts';
import type { Logger } from '../lib/log.ts';
import { startTracing } from '../lib/tracing.ts';
import { defineCommand, runAs } from './command.ts';
import { exitSignal, openAppForCommand } from './start.ts';

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Run Clinicbox: the staff app, the patient app, the API and the job worker.',
  options: {
    ...dataOptions,
    ...serverOptions,
    ...tlsOptions,
    worker: boolOption(
      'worker',
      true,
      'Run the job worker in this process (--no-worker when `clinicbox worker` runs apart).',
    ),
    ...workerOptions,
    ...staffOptions,
    ...ssoOptions,
    ...mailOptions,
    ...smsOptions,
    ...storageOptions,
    ...patientOptions,
    ...metricsOptions,
    ...backupOptions,
  },
  async run(values, _positionals, ctx) {
    const config = configFrom(values);
    const sso = [config.oidcIssuer, config.oidcClientId, config.oidcClientSecret].filter(Boolean).length;
    if (sso !== 0 && sso !== 3) {
      ctx.err('--oidc-issuer, --oidc-client-id and --oidc-client-secret go together: give all three or none');
      return 2;
    }
    if (Boolean(config.tlsCert) !== Boolean(config.tlsKey)) {
      ctx.err('--tls-cert and --tls-key go together: give both or neither');
      return 2;
    }
    if (config.domain && config.tlsCert) {
      ctx.err('--domain obtains its own certificate: give --domain or --tls-cert/--tls-key, not both');
      return 2;
    }
    for (const [flag, path] of [
      ['--tls-cert', config.tlsCert],
      ['--tls-key', config.tlsKey],
      ['--acme-ca-file', config.acmeCaFile],
    ] as const) {
      const problem = path ? unreadable(path) : null;
      if (problem) throw new UsageError(`${flag}: cannot read ${path} (${problem})`);
    }
    const app = await openAppForCommand(config, ctx, { command: 'serve', worker: values.worker });
    if (!app) return 1;
    const { log, db } = app.deps;
    const traces = await startTracing(ctx.env, { name: 'clinicbox', version: app.deps.version });
    if (traces) log.info('tracing: spans exported over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT)');
    await app.start();
    let managed: ManagedHttps | null = null;
    if (config.domain) {
      try {
        managed = await managedHttps(config, log);
      } catch (e) {
        await app.stop(0);
        ctx.err(`clinicbox: ${(e as Error).message}`);
        return 1;
      }
    }
    let listening: Listening;
    try {
      listening = await listen(app.http.fetch, {
        port: config.port,
        host: config.host,
        tls:
          managed?.certificate ??
          (config.tlsCert ? { certPath: config.tlsCert, keyPath: config.tlsKey } : undefined),
        divertsAlpn: Boolean(config.domain) && config.acmeChallenge === 'tls-alpn-01',
      });
      managed?.renewInto(listening);
    } catch (e) {
      await Promise.all([app.stop(0), managed?.stop()]);
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? 'the port is in use' : (e as Error).message || String(code);
      ctx.err(`clinicbox: cannot listen on ${config.host}:${config.port}: ${why}`);
      return 1;
    }
    let metricsListening: Listening | null = null;
    if (app.metrics && config.metricsListen) {
      const at = config.metricsListen.lastIndexOf(':');
      const host = config.metricsListen.slice(0, at).replace(/^\[(.*)\]$/, '$1');
      const port = Number(config.metricsListen.slice(at + 1));
      try {
        metricsListening = await listen(metricsOnlyApp(app.metrics).fetch, { host, port });
      } catch (e) {
        await Promise.all([listening.close(0), app.stop(0), managed?.stop()]);
        ctx.err(
          `clinicbox: cannot listen on ${config.metricsListen} for --metrics-listen: ${(e as Error).message}`,
        );
        return 1;
      }
      log.info(`Metrics on ${metricsListening.url}/metrics`);
    }
    const where = db.dialect === 'sqlite' ? `SQLite ${db.location}` : `PostgreSQL ${db.location}`;
    log.info(`Clinicbox ${app.deps.version} is running`, {
      data: config.dataPath,
      database: where,
      worker: values.worker,
    });
    const base = config.baseUrl || (config.domain ? publicUrlOf(config) : listening.url);
    if (!(await app.deps.staff.accounts.hasAdmin())) {
      // The one-time link goes to the terminal of whoever started the server, not into the log stream.
      const token = await app.deps.staff.accounts.issueSetupLink();
      ctx.out(
        `\nNo administrator yet. Create the first one within 24 hours at:\n  ${base}/staff/setup?token=${token}\nor run: ${runAs(ctx)} admin create --email you@clinic.example --name "Your Name" --role admin\n`,
      );
    }

    if (!ctx.embeddedAssets && !(await app.deps.assets.read('/app/index.html'))) {
      log.warn(
        `the patient app is not built, so ${base}/app/ answers 404: build it with \`npm run build -- --pwa-only\` (\`npm start\` builds it before serving)`,
      );
    }

    // Last, once nothing is awaited before the caller installs its signal handlers: whoever waits
    // for this line (a person, a test, a supervisor) may send SIGTERM at once and get a clean stop.
    // `/` opens the patient app: staff are sent to their sign-in page, by name.
    log.info(
      `Open ${base}/staff/login to sign in (staff); the patient app is ${base}/app/`,
      config.baseUrl ? {} : lanUrls(config.host, listening),
    );
    const { done, exit } = exitSignal();
    return {
      done,
      async stop() {
        const graceMs = config.shutdownGrace * 1000;
        log.info('shutting down', { graceSeconds: config.shutdownGrace });
        // One grace for both: the server stops accepting while the worker stops claiming; the
        // database closes once in-flight requests and running jobs are done (or the grace ends).
        await app.stop(
          graceMs,
          Promise.all([listening.close(graceMs), metricsListening?.close(0), managed?.stop()]),
        );
        await traces?.stop();
        log.info('stopped');
        exit(0);
      },
    };
  },
});

/**
 * `--domain`: the challenge listener up and a certificate in hand before HTTPS starts. Loaded only
 * then: the ACME client and its certificate libraries took 0.5 s of every start.
 */
async function managedHttps(config: ReturnType<typeof configFrom>, log: Logger): Promise<ManagedHttps> {
  const { startManagedHttps } = await import('../http/tls/managed-https.ts');
  return startManagedHttps(
    {
      domain: config.domain,
      directoryUrl: config.acmeDirectory,
      email: config.acmeEmail,
      caFile: config.acmeCaFile,
      renewDays: config.acmeRenewDays,
      challenge: config.acmeChallenge,
      httpPort: config.httpPort,
      dataPath: config.dataPath,
      host: config.host,
      httpsPort: config.port,
    },
    { log },
  );
}

/** Why a file cannot be read (its error code), or null. */
function unreadable(path: string): string | null {
  try {
    readFileSync(path);
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
}

/**
 * Listening on every interface: the addresses other devices on the clinic network open, the
 * staff sign-in and the patient app of each.
 */
function lanUrls(host: string, listening: Listening): { staffOnNetwork?: string[]; appOnNetwork?: string[] } {
  if (host !== '0.0.0.0' && host !== '::') return {};
  const scheme = listening.url.startsWith('https') ? 'https' : 'http';
  const bases = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && (a.family === 'IPv4' || host === '::'))
    .map((a) => `${scheme}://${a!.family === 'IPv6' ? `[${a!.address}]` : a!.address}:${listening.port}`);
  return bases.length
    ? { staffOnNetwork: bases.map((b) => `${b}/staff/login`), appOnNetwork: bases.map((b) => `${b}/app/`) }
    : {};
}
