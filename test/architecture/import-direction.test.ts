/**
 * The import-direction rules of docs/architecture.md, checked (issue 17): every import of every .ts file in the
 * repository (node_modules aside) points to a layer its own layer may import, no two folders import each other
 * (directly or round a cycle), every file sits in a layer of the table, and the doc's table says what LAYERS says.
 * Imports are read with TypeScript's own pre-processor: static, type-only, re-exports and dynamic `import()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { LAYERS, type Layer } from './layers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'coverage']);

export interface Import {
  readonly from: string;
  readonly to: string;
}

/** Every .ts file under the root, as repository paths. */
function sources(dir = ROOT): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(relative(ROOT, path));
  }
  return out;
}

/** Our own imports of one file (relative specifiers), resolved to repository paths. */
export function importsOf(file: string, text: string): Import[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('./') || name.startsWith('../'))
    .map((name) => ({ from: file, to: normalize(join(dirname(file), name)) }));
}

const isTest = (file: string): boolean => file.endsWith('.test.ts');

/** The folder of the table a file belongs to (the longest match), with its layer; null when the table has none. */
export function placeOf(file: string, layers: readonly Layer[] = LAYERS): { folder: string; layer: Layer } | null {
  let best: { folder: string; layer: Layer } | null = null;
  for (const layer of layers) {
    for (const folder of layer.folders) {
      const matches = folder.endsWith('/*')
        ? dirname(file) === (folder === './*' ? '.' : folder.slice(0, -2))
        : file.startsWith(`${folder}/`);
      const length = folder.endsWith('/*') ? folder.length - 2 : folder.length;
      if (matches && (best === null || length > (best.folder.endsWith('/*') ? best.folder.length - 2 : best.folder.length))) best = { folder, layer };
    }
  }
  return best;
}

/** Why an import breaks the rules, or null when it keeps them. A test file beside the code is a test. */
export function violation(edge: Import, layers: readonly Layer[] = LAYERS): string | null {
  const tests = layers.find((l) => l.name === 'tests')!;
  const from = isTest(edge.from) ? { folder: 'test', layer: tests } : placeOf(edge.from, layers);
  const to = placeOf(edge.to, layers);
  if (from === null) return `${edge.from} is in no layer of the table`;
  if (to === null) return `${edge.to} (imported by ${edge.from}) is in no layer of the table`;
  if (from.layer === to.layer) {
    if (from.folder === to.folder || from.layer.peers) return null;
    return `${edge.from} → ${edge.to}: ${from.folder} and ${to.folder} stand apart (layer "${from.layer.name}"); go through a port`;
  }
  if (from.layer.mayImport === 'everything' || from.layer.mayImport.includes(to.layer.name)) return null;
  return `${edge.from} → ${edge.to}: ${from.layer.name} may not import ${to.layer.name}`;
}

/** The unit of the cycle check: a folder, or the whole layer when its folders are peers. */
const unitOf = (file: string, layers: readonly Layer[] = LAYERS): string | null => {
  const place = placeOf(file, layers);
  return place === null ? null : place.layer.peers ? place.layer.name : place.folder;
};

/** Groups of folders that import each other round a cycle (Tarjan's strongly connected components, size > 1). */
export function folderCycles(edges: readonly Import[], layers: readonly Layer[] = LAYERS): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (isTest(edge.from)) continue;
    const a = unitOf(edge.from, layers);
    const b = unitOf(edge.to, layers);
    if (a === null || b === null || a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    graph.get(a)!.add(b);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** The layer table of docs/architecture.md: layer name → its folders and what it may import, as written. */
function documentedLayers(markdown: string): Map<string, { folders: string[]; mayImport: string[] | 'everything' }> {
  const section = markdown.slice(markdown.indexOf('## Layers and the direction of imports'));
  const table = section.split('\n').filter((line) => line.startsWith('|')).slice(2);
  const rows = new Map<string, { folders: string[]; mayImport: string[] | 'everything' }>();
  for (const line of table) {
    const [name, folders, , mayImport] = line.split('|').slice(1, -1).map((c) => c.trim());
    const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    rows.set(name!.replaceAll('`', ''), { folders: codes(folders!), mayImport: mayImport === 'everything' ? 'everything' : codes(mayImport!) });
  }
  return rows;
}

describe('import direction (docs/architecture.md, "Layers and the direction of imports")', () => {
  const files = sources();
  const edges = files.flatMap((file) => importsOf(file, readFileSync(join(ROOT, file), 'utf8')));

  it('reads the imports of every file', () => {
    expect(files.length).toBeGreaterThan(500);
    expect(edges.length).toBeGreaterThan(2_000);
  });

  it('places every file in a layer of the table', () => {
    expect(files.filter((f) => !isTest(f) && placeOf(f) === null)).toEqual([]);
  });

  it('has no import from a layer to one it may not import', () => {
    expect(edges.map((e) => violation(e)).filter((v) => v !== null)).toEqual([]);
  });

  it('has no cycle between folders', () => {
    expect(folderCycles(edges)).toEqual([]);
  });

  it('is the table the doc shows', () => {
    const documented = documentedLayers(readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8'));
    expect([...documented.keys()]).toEqual(LAYERS.map((l) => l.name));
    for (const layer of LAYERS) {
      expect(documented.get(layer.name), layer.name).toEqual({ folders: [...layer.folders], mayImport: layer.mayImport === 'everything' ? 'everything' : [...layer.mayImport] });
    }
  });

  // The rules can fail: each kind of breach the issue found, as it was.
  it('flags an upward import, a reach across domains, and a cycle between folders', () => {
    expect(violation({ from: 'platform/audit/audit-log.ts', to: 'adapters/core/errors.ts' })).toMatch(/platform may not import adapters\/core/);
    expect(violation({ from: 'gateway/auth/gateway-auth.ts', to: 'adapters/auth-guard/memory-auth-guard-store.ts' })).toMatch(/gateway may not import store adapters/);
    expect(violation({ from: 'subgraphs/orders/workflow/deps.ts', to: 'subgraphs/inventory/reservations.ts' })).toMatch(/stand apart/);
    expect(violation({ from: 'subgraphs/orders/order-service.ts', to: 'adapters/storage/keyed-queue.ts' })).toMatch(/subgraph domains may not import adapters\/storage/);
    expect(violation({ from: 'newfolder/x.ts', to: 'kernel/errors.ts' })).toMatch(/in no layer/);
    expect(violation({ from: 'subgraphs/orders/x.test.ts', to: 'subgraphs/inventory/reservations.ts' })).toBeNull();
    const cycle = [
      { from: 'schema/compose.ts', to: 'subgraphs/supplier-registry.ts' },
      { from: 'subgraphs/catalog/index.ts', to: 'schema/subgraphs.ts' },
      { from: 'subgraphs/supplier-registry.ts', to: 'subgraphs/catalog/index.ts' },
    ];
    expect(folderCycles(cycle)).toEqual([['schema', 'subgraphs (shared)', 'subgraphs/catalog'].sort()]);
    expect(folderCycles(cycle.slice(1))).toEqual([]);
  });
});
