// Prints the test files that cannot reach the suite's database dialect: none of their imports,
// followed through relative paths, reaches src/testing/db.ts (createTestDb, suiteDialect) or
// src/testing/second-instance.ts, and none reads CLINICBOX_TEST_DATABASE_URL. They run the same on either dialect (the CLI tests on their own
// SQLite files), so .ci/run runs each once, in one of its two runs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const markers = new Set(['src/testing/db.ts', 'src/testing/second-instance.ts'].map((f) => join(root, f)));
const testFiles = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.test\.tsx?$/.test(name)) testFiles.push(path);
  }
};
walk(join(root, 'src'));
walk(join(root, 'test'));

const reaches = new Map();
function reachesDialect(file, seen = new Set()) {
  if (markers.has(file)) return true;
  if (reaches.has(file)) return reaches.get(file);
  if (seen.has(file)) return false;
  seen.add(file);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  // A file that reads the suite's database URL itself (e.g. to start a server on it) counts too;
  // package.json only names it (npm run test:pg).
  if (!file.endsWith('.json') && text.includes('CLINICBOX_TEST_DATABASE_URL')) {
    reaches.set(file, true);
    return true;
  }
  const found = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].some((m) =>
    reachesDialect(resolve(dirname(file), m[1]), seen),
  );
  reaches.set(file, found);
  return found;
}
for (const file of testFiles.sort()) if (!reachesDialect(file)) console.log(relative(root, file));
