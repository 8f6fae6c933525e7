import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/testing/process.ts';

/**
 * Keeps the direction of imports from DESIGN.md true:
 * lib ← config ← db, storage, notify ← jobs ← domain ← views ← http ← app.ts ← cli ← main.ts.
 * Also: http/ never touches db/; one domain area reaches another only through its index.ts;
 * views/ and mobile-pwa/ import only types from src/. Tests and testing/ are the harness: exempt.
 */
const layers: [RegExp, number, string][] = [
  [/^src\/lib\//, 0, 'lib'],
  [/^src\/config\//, 1, 'config'],
  [/^src\/db\//, 2, 'db'],
  [/^src\/storage\//, 2, 'storage'],
  [/^src\/notify\//, 2, 'notify'],
  [/^src\/jobs\//, 3, 'jobs'],
  [/^src\/domain\//, 4, 'domain'],
  [/^views\//, 5, 'views'],
  [/^src\/http\//, 6, 'http'],
  [/^src\/app\.ts$/, 7, 'app'],
  [/^src\/cli\//, 8, 'cli'],
  [/^src\/main\.ts$/, 9, 'main'],
];

const layerOf = (file: string) => layers.find(([re]) => re.test(file));
const exempt = (file: string) =>
  /\.test\.tsx?$/.test(file) || file.startsWith('src/testing/') || file.startsWith('test/');

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  const re =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[4] ?? m[5]!;
    if (!spec.startsWith('.')) continue;
    const names = m[3] ?? '';
    const allTyped =
      /^\{[^}]*\}$/.test(names.trim()) &&
      names
        .replace(/[{}\s]/g, '')
        .split(',')
        .filter(Boolean)
        .every((n) => n.startsWith('type'));
    const to = relative(repoRoot, resolve(repoRoot, dirname(file), spec)).replaceAll('\\', '/');
    out.push({ from: file, to, typeOnly: Boolean(m[2]) || (m[1] === 'import' && allTyped) });
  }
  return out;
}

function violation(imp: Import): string | null {
  const { from, to, typeOnly } = imp;
  if (exempt(from)) return null;
  if (from.startsWith('mobile-pwa/') || from.startsWith('views/')) {
    if (to.startsWith('src/') && !typeOnly)
      return `${from} imports a value from ${to} (views and the PWA take only types from src/)`;
    if (from.startsWith('mobile-pwa/')) return null;
  }
  const source = layerOf(from);
  const target = layerOf(to);
  if (!source || !target) return null;
  if (to.startsWith('src/testing/')) return `${from} imports the test harness ${to}`;
  if (source[2] === 'http' && target[2] === 'db') return `${from} touches ${to} (http/ never touches db/)`;
  if (source[2] === 'domain' && target[2] === 'domain') {
    // Files right under src/domain/ (area.ts, areas.ts) are the kernel every area is defined with.
    const areaOf = (f: string) => (f.split('/').length > 3 ? f.split('/')[2] : null);
    const kernel = areaOf(to) === null;
    if (!kernel && areaOf(from) !== areaOf(to) && !/^src\/domain\/[^/]+\/index\.ts$/.test(to)) {
      return `${from} reaches into ${to} (other areas only through their index.ts)`;
    }
    return null;
  }
  if (source[2] === target[2]) return null;
  if (target[1] < source[1]) return null;
  return `${from} (${source[2]}) imports ${to} (${target[2]}), against the direction lib ← config ← db ← jobs ← domain ← views ← http ← app ← cli ← main`;
}

function sourceFiles(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(join(repoRoot, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(e.name) ? [path] : [];
  });
}

describe('the direction of imports', () => {
  it('catches forbidden imports (the checker itself works)', () => {
    const cases: [string, string, boolean][] = [
      ['src/lib/log.ts', "import { createApp } from '../app.ts';", true],
      ['src/jobs/worker.ts', "import { bookAppointment } from '../domain/scheduling/index.ts';", true],
      ['src/http/staff/x.tsx', "import { openDatabase } from '../../db/client.ts';", true],
      ['src/domain/a/a.service.ts', "import { x } from '../b/b.repo.ts';", true],
      ['views/pages/p.tsx', "import { newId } from '../../src/lib/ids.ts';", true],
      ['src/db/client.ts', "import { thing } from '../cli/serve.ts';", true],
      ['src/domain/a/a.service.ts', "import { x } from '../b/index.ts';", false],
      ['src/domain/a/index.ts', "import { defineArea } from '../area.ts';", false],
      ['src/domain/areas.ts', "import { aArea } from './a/index.ts';", false],
      ['src/domain/areas.ts', "import { x } from './a/a.service.ts';", true],
      ['views/pages/p.tsx', "import type { Patient } from '../../src/domain/patients/index.ts';", false],
      ['views/pages/p.tsx', "import { type Patient } from '../../src/domain/patients/index.ts';", false],
      ['src/http/server.ts', "import { x } from '../domain/a/index.ts';", false],
      ['src/cli/serve.ts', "const m = await import('../app.ts');", false],
    ];
    for (const [file, text, bad] of cases) {
      const found = importsOf(file, text);
      expect(found, text).toHaveLength(1);
      expect(violation(found[0]!) !== null, `${file}: ${text}`).toBe(bad);
    }
  });

  it('holds across src/, views/ and mobile-pwa/', () => {
    const files = [...sourceFiles('src'), ...sourceFiles('views'), ...sourceFiles('mobile-pwa')];
    expect(files.length).toBeGreaterThan(10);
    const problems = files
      .flatMap((f) => importsOf(f, readFileSync(join(repoRoot, f), 'utf8')))
      .map(violation)
      .filter(Boolean);
    expect(problems).toEqual([]);
  });
});

/**
 * A repository per area (DESIGN: "one area … never names another area's table"): each table has
 * one owning area — the one whose schema file defines it (src/db/schema/sqlite/<area>.ts) — and
 * only that area's repo files (`*.repo.ts`) name it. The tables of schema/sqlite/jobs.ts (the
 * queue's and the idempotency keys) belong to src/jobs and src/db, not to an area.
 */
const schemaDir = 'src/db/schema/sqlite';
const owners: Record<string, string[]> = Object.fromEntries(
  readdirSync(join(repoRoot, schemaDir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => {
      const text = readFileSync(join(repoRoot, schemaDir, f), 'utf8');
      const tables = [...text.matchAll(/^export const (\w+) = sqliteTable\(/gm)].map((m) => m[1]!);
      const area = f.replace(/\.ts$/, '');
      return [area === 'jobs' ? '(src/jobs, src/db)' : area, tables];
    }),
);
const ownerOf = new Map(Object.entries(owners).flatMap(([area, tables]) => tables.map((t) => [t, area])));

/** The tables a file names: `t.<table>` (ctx.t, db.reader.t, a `t` in hand) or destructured from a `.t`. */
function tablesNamed(text: string): string[] {
  const named = new Set<string>();
  for (const m of text.matchAll(/\bt\.(\w+)/g)) if (ownerOf.has(m[1]!)) named.add(m[1]!);
  for (const m of text.matchAll(/\{([^{}]*)\}\s*=\s*[\w.]*\bt\b(?!\.)/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part.split(':')[0]!.trim();
      if (ownerOf.has(name)) named.add(name);
    }
  }
  return [...named];
}

function tableProblems(file: string, text: string): string[] {
  if (exempt(file)) return [];
  const area = /^src\/domain\/([^/]+)\//.exec(file)?.[1];
  return tablesNamed(text).flatMap((table) => {
    const owner = ownerOf.get(table)!;
    if (area === undefined) {
      if (file.startsWith('src/db/'))
        return owner.startsWith('(') || file.startsWith('src/db/schema/')
          ? []
          : [`${file} names ${owner}'s table ${table}`];
      // The queue's tables are its own; it keeps each worker's instance row in the settings table.
      if (file.startsWith('src/jobs/') && (owner.startsWith('(') || table === 'settings')) return [];
      return [`${file} names the table ${table} (${owner}'s): only its area's repository may`];
    }
    if (owner !== area) return [`${file} names ${owner}'s table ${table}: go through ${owner}'s index.ts`];
    if (!file.endsWith('.repo.ts'))
      return [`${file} names the table ${table}: queries belong in the area's *.repo.ts`];
    return [];
  });
}

describe('a repository per area', () => {
  it('finds the tables a file names (the checker itself works)', () => {
    expect(owners.scheduling).toContain('appointments');
    expect(owners.patients).toContain('patientGuardians');
    expect(
      tablesNamed('await ctx.db.select().from(ctx.t.appointments).where(eq(t.patients.id, id))').sort(),
    ).toEqual(['appointments', 'patients']);
    expect(tablesNamed('const { staffAccounts: accounts, staffTokens } = db.reader.t;').sort()).toEqual([
      'staffAccounts',
      'staffTokens',
    ]);
    expect(tablesNamed('deps.services.list(); const t = ctx.t.auditLog; t.hash')).toEqual(['auditLog']);
    expect(tableProblems('src/domain/scheduling/book.ts', 'ctx.t.appointments')).toHaveLength(1);
    expect(tableProblems('src/domain/scheduling/appointments.repo.ts', 'ctx.t.patients')).toHaveLength(1);
    expect(tableProblems('src/domain/scheduling/appointments.repo.ts', 'ctx.t.appointments')).toEqual([]);
    expect(tableProblems('src/cli/demo.ts', 'ctx.t.appointments')).toHaveLength(1);
    expect(tableProblems('src/jobs/queue.ts', 'ctx.t.jobs')).toEqual([]);
  });

  it('holds: each table is named only by the repositories of the area that owns it', () => {
    const problems = sourceFiles('src').flatMap((f) =>
      tableProblems(f, readFileSync(join(repoRoot, f), 'utf8')),
    );
    expect(problems).toEqual([]);
  });
});

describe('areas depend on each other one way', () => {
  it('no two areas import values from each other, directly or around a circle', () => {
    const edges = new Map<string, Set<string>>();
    const areaOf = (f: string) => /^src\/domain\/([^/]+)\//.exec(f)?.[1];
    for (const file of sourceFiles('src/domain')) {
      if (exempt(file)) continue;
      for (const imp of importsOf(file, readFileSync(join(repoRoot, file), 'utf8'))) {
        const [from, to] = [areaOf(imp.from), areaOf(imp.to)];
        if (!imp.typeOnly && from && to && from !== to)
          edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    expect(edges.size).toBeGreaterThan(2);
    const circles: string[] = [];
    const walk = (area: string, path: string[]) => {
      if (path.includes(area))
        return void circles.push([...path.slice(path.indexOf(area)), area].join(' → '));
      for (const next of edges.get(area) ?? []) walk(next, [...path, area]);
    };
    for (const area of edges.keys()) walk(area, []);
    expect(circles).toEqual([]);
  });
});
