/**
 * The layering of the design's picture (decision 0011), held by the suite: it reads the imports of every file under src/
 * (TypeScript's own pre-processor, no type checking) and fails on an import that
 *   - goes from a core folder to the shell,
 *   - goes to a folder the picture does not allow (one to the importer's right, or a shell folder above it),
 *   - goes from the server to the CLI,
 *   - reaches into another folder's files instead of its face (index.ts),
 *   - or closes a cycle between files.
 * Each failure names the import and the rule. Imports that skip a face can be routed through it mechanically
 * (decision 0010).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');

const CORE = [
  'money',
  'ledger',
  'scoring',
  'origination',
  'monitoring',
  'collections',
  'reporting',
  'simulation',
] as const;
const SHELL = ['store', 'jobs', 'server', 'cli'] as const;
type Folder = (typeof CORE)[number] | (typeof SHELL)[number];

/**
 * What each folder may import: the picture read left to right (money → ledger → origination, monitoring,
 * collections, reporting → simulation; scoring beside the ledger, used by origination, monitoring and
 * collections), the core under the shell, store under the other shell folders, and in the shell jobs under
 * the server and both under the CLI, which starts them. Decision 0011 explains the reading.
 */
const MAY_IMPORT: Record<Folder, readonly Folder[]> = {
  money: [],
  ledger: ['money'],
  scoring: ['money', 'ledger'],
  origination: ['money', 'ledger', 'scoring'],
  monitoring: ['money', 'ledger', 'scoring', 'origination'],
  collections: ['money', 'ledger', 'scoring', 'origination', 'monitoring'],
  reporting: ['money', 'ledger', 'origination', 'monitoring', 'collections'],
  simulation: ['money', 'ledger', 'scoring', 'origination', 'monitoring', 'collections', 'reporting'],
  store: [...CORE],
  jobs: [...CORE, 'store'],
  server: [...CORE, 'store', 'jobs'],
  cli: [...CORE, 'store', 'jobs', 'server'],
};

type Rule = 'core-imports-shell' | 'against-the-picture' | 'server-imports-cli' | 'skips-the-face' | 'cycle';

const RULE_TEXT: Record<Rule, string> = {
  'core-imports-shell':
    'a core folder never imports the shell (the shell calls the core, never the other way)',
  'against-the-picture': 'a folder imports only folders to its left in the picture (decision 0011)',
  'server-imports-cli': 'the HTTP layer never imports the CLI',
  'skips-the-face': "imports from outside a folder go through its face, the folder's index.ts",
  cycle: 'no import cycle between files',
};

/**
 * Violations that other work in progress removes. Each names the import (`from -> to`, paths under src/),
 * the rule and why it is still here. Keep this list short and empty it as that work lands: an entry that no
 * longer occurs fails the test too, so that the list only shrinks.
 */
/** Imports that break a rule on purpose, each with its reason. None today: keep it that way. */
const KNOWN_EXCEPTIONS: readonly { edge: string; rule: Rule; reason: string }[] = [];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(m|c)?tsx?$/.test(entry) && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

/** A relative specifier ('./x.js', '../y/index.js') as the .ts file it names, or null when none exists. */
function resolve(fromFile: string, specifier: string, known: ReadonlySet<string>): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [
    base.replace(/\.(m|c)?js$/, (m) => m.replace('js', 'ts')),
    `${base}.ts`,
    path.join(base, 'index.ts'),
  ];
  return candidates.find((c) => known.has(c)) ?? null;
}

function folderOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0] ?? '';
}

function isFolder(name: string): name is Folder {
  return (CORE as readonly string[]).includes(name) || (SHELL as readonly string[]).includes(name);
}

const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');

interface Edge {
  from: string;
  to: string;
  specifier: string;
}

function importGraph(): { files: string[]; edges: Edge[]; unresolved: string[] } {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const edges: Edge[] = [];
  const unresolved: string[] = [];
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const imported of info.importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const to = resolve(file, imported.fileName, known);
      if (to === null) unresolved.push(`${rel(file)}: '${imported.fileName}'`);
      else edges.push({ from: file, to, specifier: imported.fileName });
    }
  }
  return { files, edges, unresolved };
}

interface Violation {
  edge: string;
  rule: Rule;
}

function layerViolations(edges: readonly Edge[]): Violation[] {
  const out: Violation[] = [];
  for (const { from, to } of edges) {
    const a = folderOf(from);
    const b = folderOf(to);
    if (a === b) continue;
    const edge = `${rel(from)} -> ${rel(to)}`;
    if (a === 'server' && b === 'cli') out.push({ edge, rule: 'server-imports-cli' });
    else if ((CORE as readonly string[]).includes(a) && (SHELL as readonly string[]).includes(b)) {
      out.push({ edge, rule: 'core-imports-shell' });
    } else if (!isFolder(a) || !isFolder(b) || !MAY_IMPORT[a].includes(b)) {
      out.push({ edge, rule: 'against-the-picture' });
    }
    if (to !== path.join(SRC, b, 'index.ts')) out.push({ edge, rule: 'skips-the-face' });
  }
  return out;
}

/** Strongly connected components of more than one file (or a file importing itself), as one cycle each. */
function cycles(files: readonly string[], edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(cyclePath(component, next));
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

/** One concrete cycle through a component, from its first file back to it, for the failure message. */
function cyclePath(component: readonly string[], next: ReadonlyMap<string, string[]>): string[] {
  const inside = new Set(component);
  const start = [...component].sort()[0]!;
  const seen = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of next.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const back: string[] = [start];
        for (let u: string | null = v; u !== null; u = seen.get(u) ?? null) back.push(u);
        return back.reverse().map(rel);
      }
      if (!seen.has(w)) {
        seen.set(w, v);
        queue.push(w);
      }
    }
  }
  return component.map(rel);
}

const isKnown = (v: Violation) => KNOWN_EXCEPTIONS.some((k) => k.edge === v.edge && k.rule === v.rule);

function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `  ${v.edge}\n    breaks: ${RULE_TEXT[v.rule]}`).join('\n');
}

describe('layering (decision 0011)', () => {
  const { files, edges, unresolved } = importGraph();

  it('reads the imports of every source file', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(files.length);
    expect(unresolved, `relative imports naming no file:\n${unresolved.join('\n')}`).toEqual([]);
  });

  it('has exactly the folders of the picture under src/', () => {
    const folders = [...new Set(files.map(folderOf))].filter((f) => !f.includes('.')).sort();
    expect(folders).toEqual([...CORE, ...SHELL].sort());
    for (const folder of CORE) {
      expect(files, `src/${folder}/ has no face (index.ts)`).toContain(path.join(SRC, folder, 'index.ts'));
    }
  });

  it('keeps every import within the rules of the picture and through faces', () => {
    const found = layerViolations(edges).filter((v) => !isKnown(v));
    expect(found.length, `imports that break the layering:\n${describeViolations(found)}`).toBe(0);
  });

  it('has no import cycle between files', () => {
    const found = cycles(files, edges).filter((c) => !isKnown({ edge: `${c[0]} -> ${c[1]}`, rule: 'cycle' }));
    const text = found.map((c) => `  ${c.join(' -> ')}\n    breaks: ${RULE_TEXT.cycle}`).join('\n');
    expect(found.length, `import cycles:\n${text}`).toBe(0);
  });

  it('lists only known exceptions that still occur', () => {
    const all = layerViolations(edges);
    const cycleEdges = cycles(files, edges).map(
      (c): Violation => ({ edge: `${c[0]} -> ${c[1]}`, rule: 'cycle' }),
    );
    const stale = KNOWN_EXCEPTIONS.filter(
      (k) => ![...all, ...cycleEdges].some((v) => v.edge === k.edge && v.rule === k.rule),
    );
    expect(
      stale.map((k) => `${k.edge} (${k.rule})`),
      'known exceptions that no longer occur: remove them from KNOWN_EXCEPTIONS',
    ).toEqual([]);
  });

  it('would catch each kind of violation (the checks can fail)', () => {
    const f = (p: string) => path.join(SRC, p);
    const probe = (from: string, to: string) =>
      layerViolations([{ from: f(from), to: f(to), specifier: '' }]);
    expect(probe('ledger/x.ts', 'store/index.ts').map((v) => v.rule)).toEqual(['core-imports-shell']);
    expect(probe('money/x.ts', 'ledger/index.ts').map((v) => v.rule)).toEqual(['against-the-picture']);
    expect(probe('collections/x.ts', 'reporting/index.ts').map((v) => v.rule)).toEqual([
      'against-the-picture',
    ]);
    expect(probe('reporting/x.ts', 'collections/index.ts')).toEqual([]);
    expect(probe('store/x.ts', 'server/index.ts').map((v) => v.rule)).toEqual(['against-the-picture']);
    expect(probe('server/x.ts', 'cli/index.ts').map((v) => v.rule)).toEqual(['server-imports-cli']);
    expect(probe('server/x.ts', 'ledger/loan/state.ts').map((v) => v.rule)).toEqual(['skips-the-face']);
    const loop = [f('a/x.ts'), f('a/y.ts'), f('a/z.ts')];
    const ring = loop.map((from, i) => ({ from, to: loop[(i + 1) % 3]!, specifier: '' }));
    expect(cycles(loop, ring)).toEqual([['a/x.ts', 'a/y.ts', 'a/z.ts', 'a/x.ts']]);
    expect(cycles(loop, ring.slice(0, 2))).toEqual([]);
  });
});
