// The rooms of the program and the order between them (README, "Development", the layout). An import may only point
// down this list; the one exception is the plugin interface, supervisor/plugin.ts, which any room may name. The
// graph has no cycles, type-only imports included. supervisor/ and sync-runner/ never import each other, and
// shared/ imports neither. Pure: reads the source files and parses their relative imports.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Top to bottom. A file belongs to the first room with a prefix it starts with. Keep in step with the README. */
export const ROOMS: ReadonlyArray<{ name: string; readme: string; prefixes: readonly string[] }> = [
  { name: 'main & cli', readme: 'main.ts cli/', prefixes: ['supervisor/main.ts', 'supervisor/cli/'] },
  { name: 'history-cli', readme: 'history-cli/', prefixes: ['supervisor/history-cli/'] },
  {
    name: 'supervisor',
    readme: 'supervisor.ts default-plugins.ts lifecycle.ts data-dir.ts plugin.ts',
    prefixes: [
      'supervisor/supervisor.ts',
      'supervisor/default-plugins.ts',
      'supervisor/lifecycle.ts',
      'supervisor/data-dir.ts',
      'supervisor/plugin.ts',
    ],
  },
  { name: 'plugins', readme: 'status/ alerts/ trend/', prefixes: ['supervisor/status/', 'supervisor/alerts/', 'supervisor/trend/'] },
  { name: 'pylantir', readme: 'pylantir/', prefixes: ['supervisor/pylantir/'] },
  { name: 'schedule', readme: 'schedule/', prefixes: ['supervisor/schedule/'] },
  { name: 'run', readme: 'run/ live-state.ts', prefixes: ['supervisor/run/', 'supervisor/live-state.ts'] },
  { name: 'memory', readme: 'memory/', prefixes: ['supervisor/memory/'] },
  { name: 'process', readme: 'process/', prefixes: ['supervisor/process/'] },
  { name: 'history', readme: 'history/', prefixes: ['supervisor/history/'] },
  { name: 'config', readme: 'config/', prefixes: ['supervisor/config/'] },
  { name: 'vocabulary', readme: 'vocabulary/', prefixes: ['supervisor/vocabulary/'] },
];
/** Anyone may import the plugin interface: plugins implement it, the supervisor runs them. */
const PLUGIN_INTERFACE = 'supervisor/plugin.ts';

const IMPORT_PATTERNS = [
  /\b(?:import|export)\s[^;'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
  /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  /^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Comments are dropped first so that an example in a comment is not taken for an import. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

export function importsOf(file: string, text: string): string[] {
  const code = stripComments(text);
  const targets = new Set<string>();
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of code.matchAll(pattern)) {
      const spec = match[1];
      if (spec === undefined) continue;
      targets.add(relative(ROOT, resolve(ROOT, dirname(file), spec)).split('\\').join('/'));
    }
  }
  return [...targets];
}

function buildGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of ['shared', 'supervisor', 'sync-runner'].flatMap(sourceFiles)) {
    graph.set(file, importsOf(file, readFileSync(join(ROOT, file), 'utf8')));
  }
  return graph;
}

function roomIndex(file: string): number | undefined {
  const index = ROOMS.findIndex((room) => room.prefixes.some((prefix) => file.startsWith(prefix)));
  return index === -1 ? undefined : index;
}

/** Every cycle's strongly connected component (Tarjan), each listed as its sorted files. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const graph = buildGraph();
const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));

test('the parser sees every kind of relative import, type-only and dynamic included', () => {
  const text = [
    "import { a } from './a.ts';",
    "import type { B } from '../b.ts';",
    "export { c } from './c.ts';",
    "export type { D } from './d.ts';",
    "type E = import('./e.ts').E;",
    "import './f.ts';",
    "import {\n  g,\n  h,\n} from './g.ts';",
    "// import { x } from './not-me.ts';",
    "import { readFile } from 'node:fs';",
  ].join('\n');
  assert.deepEqual(importsOf('supervisor/run/x.ts', text).sort(), [
    'supervisor/b.ts',
    'supervisor/run/a.ts',
    'supervisor/run/c.ts',
    'supervisor/run/d.ts',
    'supervisor/run/e.ts',
    'supervisor/run/f.ts',
    'supervisor/run/g.ts',
  ]);
  assert.ok(edges.length > 500, `only ${edges.length} imports found: is the parser broken?`);
});

test('the cycle finder finds a cycle, and none in a chain', () => {
  assert.deepEqual(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]])), [['a', 'b', 'c']]);
  assert.deepEqual(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]])), []);
});

test('the import graph has no cycles, type-only imports included', () => {
  assert.deepEqual(cycles(graph), [], 'files that import each other (directly or around a loop)');
});

test("the README lists the rooms in this order", () => {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const start = lines.indexOf('  supervisor/');
  assert.notEqual(start, -1, "README's layout block starts with a line '  supervisor/'");
  // A room's line in the block: four spaces, its files, then two spaces before the description (or the line's end).
  const at = ROOMS.map((room) => lines.findIndex((line, i) => i > start && (line === `    ${room.readme}` || line.startsWith(`    ${room.readme}  `))));
  assert.deepEqual(ROOMS.filter((_, i) => at[i] === -1).map((room) => room.readme), [], 'rooms missing from the README');
  assert.deepEqual(at, [...at].sort((a, b) => a - b), 'the README lists the rooms in another order');
});

test('every supervisor file lives in a room', () => {
  const homeless = [...graph.keys()].filter((file) => file.startsWith('supervisor/') && roomIndex(file) === undefined);
  assert.deepEqual(homeless, [], 'add these files to a room in ROOMS and in the README');
});

test('no import runs from a lower room to a higher one, except to the plugin interface', () => {
  const upward = edges
    .filter(({ to }) => to !== PLUGIN_INTERFACE)
    .filter(({ from, to }) => {
      const fromRoom = roomIndex(from);
      const toRoom = roomIndex(to);
      return fromRoom !== undefined && toRoom !== undefined && toRoom < fromRoom;
    })
    .map(({ from, to }) => `${from} (${ROOMS[roomIndex(from) ?? 0]?.name}) → ${to} (${ROOMS[roomIndex(to) ?? 0]?.name})`);
  assert.deepEqual(upward, []);
});

test('supervisor/ and sync-runner/ never import each other, and shared/ imports neither', () => {
  const program = (file: string): string => file.split('/')[0] ?? '';
  const crossing = edges
    .filter(({ from, to }) => {
      const [source, target] = [program(from), program(to)];
      if (source === 'shared') return target !== 'shared';
      return target !== source && target !== 'shared';
    })
    .map(({ from, to }) => `${from} → ${to}`);
  assert.deepEqual(crossing, []);
});
