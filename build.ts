/**
 * The build (run with Bun: `npm run build`).
 *
 *   npm run build                          the PWA, then every binary
 *   npm run build -- --target linux-x64    the PWA, then one binary (repeat or comma-separate for more)
 *   npm run build -- --pwa-only            only the PWA into dist/pwa (so `npm start` serves /app)
 *
 * Steps:
 *  1. The patient PWA (mobile-pwa/) with Bun.build: minified, hashed names, into dist/pwa/ with
 *     index.html pointing at the hashed files, the manifest, the icon and an unhashed sw.js that
 *     carries the precache list.
 *  2. dist/.build/assets.ts: one `with { type: 'file' }` import per file under the folders of
 *     `assetFolders` (src/http/assets.ts), and `globalThis.__clinicboxAssets` = URL path → embedded
 *     file; dist/.build/sodium.ts: libsodium-wrappers as one script (a string) for the backup's
 *     sealing thread. dist/.build/entry.ts imports them first, then src/main.ts.
 *  3. `bun build --compile --minify` per target → dist/clinicbox-<os>-<arch>[.exe].
 *     better-sqlite3 is NOT marked external (STACK.md: the binary would die at start); under Bun the
 *     code takes bun:sqlite and the untaken dynamic import bundles harmlessly.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetFolders, isAssetIncluded } from './src/http/assets.ts';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const pwaSrc = join(root, 'mobile-pwa');
const pwaOut = join(dist, 'pwa');
const genDir = join(dist, '.build');

const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'windows-x64'] as const;
type Target = (typeof TARGETS)[number];

interface Args {
  pwaOnly: boolean;
  targets: Target[];
}

function parseArgs(argv: string[]): Args {
  let pwaOnly = false;
  const targets: Target[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--pwa-only') pwaOnly = true;
    else if (arg === '--target' || arg.startsWith('--target=')) {
      const value = arg === '--target' ? argv[++i] : arg.slice('--target='.length);
      if (!value) fail(`--target needs a value, one of: ${TARGETS.join(', ')}`);
      for (const t of value.split(',').map((s) => s.trim().replace(/^bun-/, ''))) {
        if (!(TARGETS as readonly string[]).includes(t))
          fail(`unknown target "${t}" (one of: ${TARGETS.join(', ')})`);
        if (!targets.includes(t as Target)) targets.push(t as Target);
      }
    } else if (arg === '--help' || arg === '-h') {
      console.log(
        'Usage: npm run build -- [--pwa-only] [--target <t>[,<t>…]]\n' +
          `Targets: ${TARGETS.join(', ')} (default: all)`,
      );
      process.exit(0);
    } else fail(`unknown argument "${arg}"`);
  }
  return { pwaOnly, targets: targets.length ? targets : [...TARGETS] };
}

function fail(message: string): never {
  console.error(`build: ${message}`);
  process.exit(1);
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const ms = (since: number) => `${Math.round(performance.now() - since)} ms`;

// ---------------------------------------------------------------- 1. the PWA

async function buildPwa(): Promise<void> {
  const started = performance.now();
  rmSync(pwaOut, { recursive: true, force: true });
  mkdirSync(pwaOut, { recursive: true });

  const result = await Bun.build({
    entrypoints: [join(pwaSrc, 'src/main.tsx')],
    outdir: pwaOut,
    target: 'browser',
    format: 'esm',
    // Rarely used code (passkeys) loads on demand, keeping the first download small.
    splitting: true,
    minify: true,
    sourcemap: 'none',
    naming: { entry: '[name]-[hash].[ext]', chunk: '[name]-[hash].[ext]', asset: '[name]-[hash].[ext]' },
    tsconfig: join(pwaSrc, 'tsconfig.json'),
  } as Parameters<typeof Bun.build>[0]);
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    fail('the PWA build failed');
  }

  const names = result.outputs.map((o) => relative(pwaOut, o.path).split(sep).join('/'));
  const js = names.find((n) => /^main-[a-z0-9]+\.js$/.test(n));
  const css = names.find((n) => /^main-[a-z0-9]+\.css$/.test(n));
  if (!js || !css) fail(`the PWA build did not produce main-<hash>.js and .css (got ${names.join(', ')})`);

  const html = readFileSync(join(pwaSrc, 'index.html'), 'utf8').replace('%JS%', js).replace('%CSS%', css);
  writeFileSync(join(pwaOut, 'index.html'), html);
  const copied = [
    'manifest.webmanifest',
    'icon.svg',
    'icon-192.png',
    'icon-512.png',
    'icon-maskable-512.png',
  ];
  for (const file of copied) {
    writeFileSync(join(pwaOut, file), readFileSync(join(pwaSrc, file)));
  }

  // The service worker keeps its name (browsers look it up by URL) and gets the precache list and a
  // version that changes whenever any shell file does, so a new build installs a new worker.
  const shell = ['/app/', ...names.map((n) => `/app/${n}`), ...copied.map((f) => `/app/${f}`)];
  const hash = createHash('sha256');
  for (const file of ['index.html', ...names, ...copied]) {
    hash.update(file).update(readFileSync(join(pwaOut, file)));
  }
  const swSource = readFileSync(join(pwaSrc, 'sw.js'), 'utf8');
  const sw = swSource
    .replace("const VERSION = '__VERSION__';", `const VERSION = '${hash.digest('hex').slice(0, 12)}';`)
    .replace('const PRECACHE = __PRECACHE__;', `const PRECACHE = ${JSON.stringify(shell)};`);
  if (sw.includes('= __PRECACHE__') || sw.includes("= '__VERSION__'")) {
    fail(
      "mobile-pwa/sw.js must keep the lines `const VERSION = '__VERSION__';` and `const PRECACHE = __PRECACHE__;`",
    );
  }
  writeFileSync(join(pwaOut, 'sw.js'), sw);

  const files = readdirSync(pwaOut).sort();
  console.log(`PWA → dist/pwa (${ms(started)})`);
  for (const f of files) console.log(`  ${f.padEnd(28)} ${kb(statSync(join(pwaOut, f)).size)}`);
}

// ---------------------------------------------------------------- 2. the embedded assets

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** URL path → absolute file path, resolved exactly like diskAssets (the longest prefix wins). */
function collectAssets(): Map<string, string> {
  const prefixes = Object.keys(assetFolders).sort((a, b) => b.length - a.length);
  const found = new Map<string, string>();
  for (const [prefix, folder] of Object.entries(assetFolders)) {
    const dir = resolve(root, folder);
    if (!existsSync(dir)) {
      console.log(`assets: skipping ${prefix} (${folder} does not exist)`);
      continue;
    }
    for (const file of listFiles(dir)) {
      const rel = relative(dir, file).split(sep).join('/');
      const url = prefix + rel;
      if (prefixes.find((p) => url.startsWith(p)) !== prefix) continue; // a longer prefix owns it
      if (!isAssetIncluded(prefix, rel)) continue;
      found.set(url, file);
    }
  }
  return new Map([...found].sort(([a], [b]) => a.localeCompare(b)));
}

function writeEntry(assets: Map<string, string>): string {
  rmSync(genDir, { recursive: true, force: true });
  mkdirSync(genDir, { recursive: true });
  const imports: string[] = [];
  const entries: string[] = [];
  let i = 0;
  for (const [url, file] of assets) {
    const name = `a${i++}`;
    imports.push(`import ${name} from ${JSON.stringify(file)} with { type: 'file' };`);
    entries.push(`  ${JSON.stringify(url)}: ${name},`);
  }
  writeFileSync(
    join(genDir, 'assets.ts'),
    [
      '// Generated by build.ts: every static file and the built PWA, embedded in the binary.',
      ...imports,
      '',
      '(globalThis as { __clinicboxAssets?: Record<string, string> }).__clinicboxAssets = {',
      ...entries,
      '};',
      '',
    ].join('\n'),
  );
  const entry = join(genDir, 'entry.ts');
  writeFileSync(
    entry,
    [
      '// Generated by build.ts: the binary entry. The assets map must exist before main runs.',
      '// reflect-metadata first: @simplewebauthn/server (via tsyringe) needs it, and the bundle',
      '// may otherwise evaluate tsyringe before its polyfill.',
      "import 'reflect-metadata';",
      "import './assets.ts';",
      "import './sodium.ts';",
      '',
      "await import('../../src/main.ts');",
      '',
    ].join('\n'),
  );
  const total = [...assets.values()].reduce((sum, f) => sum + statSync(f).size, 0);
  console.log(`assets: ${assets.size} files, ${kb(total)} → dist/.build/assets.ts`);
  return entry;
}

/**
 * dist/.build/sodium.ts: libsodium-wrappers (libsodium in WebAssembly) bundled into one CommonJS
 * script, as a string in `globalThis.__clinicboxSodium`. A backup's sealing thread runs from code
 * in a string (src/backup/age-worker.ts) and cannot import from the binary's bundle: it evaluates
 * this instead (Bun's node:crypto has no ChaCha20-Poly1305; src/backup/chacha.ts).
 */
async function writeSodiumForWorkers(): Promise<void> {
  const result = await Bun.build({
    entrypoints: [createRequire(import.meta.url).resolve('libsodium-wrappers')],
    // 'node': plain CommonJS ('bun' wraps it in a function only Bun's own loader calls).
    target: 'node',
    format: 'cjs',
    minify: true,
  });
  if (!result.success || result.outputs.length !== 1) {
    for (const log of result.logs) process.stderr.write(`${log}\n`);
    fail('bundling libsodium-wrappers for the backup thread failed');
  }
  const code = await result.outputs[0]!.text();
  writeFileSync(
    join(genDir, 'sodium.ts'),
    [
      '// Generated by build.ts: libsodium-wrappers as one CommonJS script, for a worker thread.',
      `(globalThis as { __clinicboxSodium?: string }).__clinicboxSodium = ${JSON.stringify(code)};`,
      '',
    ].join('\n'),
  );
  console.log(`sodium: ${kb(code.length)} → dist/.build/sodium.ts`);
}

// ---------------------------------------------------------------- 3. the binaries

function outfileOf(target: Target): string {
  return join(dist, `clinicbox-${target}${target.startsWith('windows') ? '.exe' : ''}`);
}

/**
 * Escapes non-ASCII characters in dependencies' sources (as \\uXXXX, valid in strings, regexes,
 * identifiers and comments). Bun stores the embedded bundle as UTF-16 — twice the bytes — as soon as
 * one character is not ASCII; the minifier escapes strings but keeps legal comments, and a single
 * author's name in one (otpauth) doubled the code's share of the binary (3.5 MB instead of 1.7 MB).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
const NON_ASCII = /[^\x00-\x7f]/g;
const asciiOnly: import('bun').BunPlugin = {
  name: 'ascii-only',
  setup(build) {
    build.onLoad({ filter: /node_modules[\\/].*\.(c|m)?js$/ }, async (args) => {
      const text = await Bun.file(args.path).text();
      if (text.search(NON_ASCII) === -1) return undefined;
      return {
        contents: text.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
        loader: 'js',
      };
    });
  },
};

async function compile(entry: string, target: Target): Promise<void> {
  const started = performance.now();
  const outfile = outfileOf(target);
  rmSync(outfile, { force: true });
  const result = await Bun.build({
    entrypoints: [entry],
    compile: { target: `bun-${target}` as never, outfile },
    minify: true,
    plugins: [asciiOnly],
  });
  if (!result.success || !existsSync(outfile)) {
    for (const log of result.logs) process.stderr.write(`${log}\n`);
    fail(`compiling ${target} failed`);
  }
  console.log(
    `  ${relative(root, outfile).padEnd(36)} ${mb(statSync(outfile).size).padStart(9)}  (${ms(started)})`,
  );
}

/** A quick check that the binary for this machine starts (cross-built ones cannot run here). */
async function checkHostBinary(targets: Target[]): Promise<void> {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform as string];
  const host = `${os}-${process.arch}` as Target;
  if (!targets.includes(host)) return;
  const proc = Bun.spawn([outfileOf(host), 'version'], { cwd: dist, stdout: 'pipe', stderr: 'pipe' });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) {
    process.stderr.write(out + err);
    fail(`dist/clinicbox-${host} version exited ${code}`);
  }
  console.log(`check: ${out.trim()}`);
}

// ----------------------------------------------------------------

if (typeof Bun === 'undefined') fail('run the build with Bun: npm run build');
const args = parseArgs(process.argv.slice(2));
const started = performance.now();
await buildPwa();
if (!args.pwaOnly) {
  const entry = writeEntry(collectAssets());
  await writeSodiumForWorkers();
  console.log(`binaries (bun ${Bun.version}):`);
  for (const target of args.targets) await compile(entry, target);
  await checkHostBinary(args.targets);
}
console.log(`build done in ${ms(started)}`);
