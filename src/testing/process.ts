import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from source). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where the project's Bun is (the runtime of the shipped binary). */
export const bunPath = `${repoRoot}node_modules/.bin/bun`;

/** Node's arguments that run TypeScript through tsx: put a script's path after them. */
export const tsxLoader = ['--import', `${repoRoot}node_modules/tsx/dist/loader.mjs`];

/**
 * How to run the clinicbox CLI from source: under Node — one of `bundledEntries` as bundled for
 * this run, any other entry through tsx as `npm start -- …` does — or under Bun (which reads
 * tsconfig.json from its working directory: run it from repoRoot).
 */
export const cliCommand = (entry = 'src/main.ts', runtime: 'node' | 'bun' = 'node'): [string, string[]] => {
  if (runtime === 'bun') return [bunPath, [`${repoRoot}${entry}`]];
  const bundle = bundledEntries[entry];
  if (bundle && existsSync(`${repoRoot}${bundle}`)) return [process.execPath, [`${repoRoot}${bundle}`]];
  return [process.execPath, [...tsxLoader, `${repoRoot}${entry}`]];
};

/**
 * The entries test/global-setup.ts bundles once per run (same code, one file: Node starts it in
 * about a second, tsx in 3–6 s on a busy machine). Two folders deep, as src/http/ is, so
 * import.meta.url finds the repository's static/ and dist/ the same way.
 */
export const bundledEntries: Record<string, string> = {
  'src/main.ts': '.tmp/cli/main.mjs',
  'src/testing/record-entry.ts': '.tmp/cli/record-entry.mjs',
};

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion. */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; input?: string } = {},
): Promise<Finished> {
  const [cmd, pre] = cliCommand();
  const child = spawn(cmd, [...pre, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...tsxEnv, ...options.env },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  return collect(child);
}

/** tsx reads tsconfig.json from the working directory; tests run the CLI from temp folders. */
const tsxEnv = { TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json` };

export function collect(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

/** Starts a long-running CLI command and resolves once its output matches `ready`. */
export async function startCli(
  args: string[],
  ready: RegExp,
  options: {
    env?: Record<string, string>;
    cwd?: string;
    timeoutMs?: number;
    entry?: string;
    runtime?: 'node' | 'bun';
    /** Keep its stdin open for the test to write to. */
    stdin?: boolean;
  } = {},
): Promise<{ child: ChildProcess; match: RegExpMatchArray; finished: Promise<Finished> }> {
  const [cmd, pre] = cliCommand(options.entry, options.runtime);
  const child = spawn(cmd, [...pre, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...tsxEnv, ...options.env },
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const finished = collect(child);
  let seen = '';
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not ready in time; output so far:\n${seen}`)),
      options.timeoutMs ?? 20_000,
    );
    const onData = (d: Buffer) => {
      seen += d;
      const m = seen.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`exited before ready; output:\n${seen}`));
    });
  });
  return { child, match, finished };
}

/**
 * `count` `clinicbox serve` processes on one data folder (and database, when `databaseUrl` is
 * given), no worker each, as instances behind a balancer: their base URLs, and how to stop them all.
 */
export async function startServeInstances(
  count: number,
  dataDir: string,
  databaseUrl: string,
): Promise<{ bases: string[]; stop(): Promise<void> }> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      startCli(
        [
          'serve',
          '--port',
          '0',
          '--data-dir',
          dataDir,
          '--no-worker',
          ...(databaseUrl ? ['--database-url', databaseUrl] : []),
        ],
        /Open (http:\/\/127\.0\.0\.1:\d+)\//,
      ),
    ),
  );
  return {
    bases: servers.map((s) => s.match[1]!),
    async stop() {
      for (const s of servers) s.child.kill('SIGTERM');
      await Promise.all(servers.map((s) => s.finished));
    },
  };
}
