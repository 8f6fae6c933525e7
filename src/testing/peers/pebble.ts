import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.ts';
import { httpsGet, selfSignedCertificate } from '../tls.ts';
import { until } from '../wait.ts';
import { installed } from './installed.ts';

/**
 * A real ACME certificate authority for tests: Debian's `pebble` on 127.0.0.1, validating HTTP-01
 * and TLS-ALPN-01 challenges for real (it connects to `httpPort`, or `tlsPort`, on 127.0.0.1;
 * `localhost` resolves there). Debian
 * ships no certificate for pebble's own HTTPS, so one is made with openssl: `caFile` is what a
 * client trusts to talk to the directory. The root that signs the certificates pebble issues
 * changes at every start: `root()` fetches it from the management port.
 */
export interface PebblePeer {
  directoryUrl: string;
  /** The certificate of pebble's own HTTPS (trust it to reach the directory). */
  caFile: string;
  /** Where pebble validates HTTP-01 challenges: the client's plain-HTTP listener must be here. */
  httpPort: number;
  /** Where pebble validates TLS-ALPN-01 challenges: the client's HTTPS port must be here. */
  tlsPort: number;
  /** The root of the certificates pebble issues (PEM). */
  root(): Promise<string>;
  stop(): Promise<void>;
}

/** Is pebble installed (Debian's `pebble` package)? */
export const havePebble = (): boolean => installed('pebble', '-version');

export async function startPebble(): Promise<PebblePeer> {
  const dir = mkdtempSync(join(tmpdir(), 'clinicbox-pebble-'));
  const caFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  selfSignedCertificate(caFile, keyFile, 2, 'DNS:localhost,IP:127.0.0.1');
  const [listenPort, managementPort, httpPort, tlsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const configFile = join(dir, 'pebble.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${listenPort}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: caFile,
        privateKey: keyFile,
        httpPort,
        tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const output: string[] = [];
  const child: ChildProcess = spawn('pebble', ['-config', configFile], {
    // No sleeps before validating, and no nonces refused at random: the test is about us. No
    // authorization reused (pebble reuses half by default): every order is validated again, as a
    // renewal 60 days on is by a real CA.
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => output.push(String(d)));
  child.stderr?.on('data', (d) => output.push(String(d)));
  const agent = new Agent({ ca: [readFileSync(caFile, 'utf8')] });
  const get = (url: string) => httpsGet(url, { agent });
  const directoryUrl = `https://127.0.0.1:${listenPort}/dir`;
  try {
    await until(
      'pebble listening',
      async () => (await get(directoryUrl).catch(() => ({ status: 0 }))).status === 200,
      15_000,
    );
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${output.join('')}`);
  }
  return {
    directoryUrl,
    caFile,
    httpPort,
    tlsPort,
    async root() {
      const res = await get(`https://127.0.0.1:${managementPort}/roots/0`);
      if (res.status !== 200) throw new Error(`pebble root: ${res.status}`);
      return res.body;
    },
    async stop() {
      agent.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
