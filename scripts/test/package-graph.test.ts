import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { documentedBlock, findCycles, readGraph, renderGraph } from '../package-graph.mjs';

interface Member {
  name: string;
  path: string;
  private: boolean;
  runtime: string[];
  npm: string[];
  dev: string[];
}

const root = fileURLToPath(new URL('../..', import.meta.url));

function workspace(members: Record<string, object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-graph-'));
  for (const [path, pkg] of Object.entries(members)) {
    mkdirSync(join(dir, path), { recursive: true });
    writeFileSync(join(dir, path, 'package.json'), JSON.stringify(pkg));
  }
  return dir;
}

describe('docs/architecture.md package graph', () => {
  it('is the graph of the package.json files (regenerate: node scripts/package-graph.mjs --update)', () => {
    const expected = renderGraph(readGraph(root));
    const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
    // On failure the diff shows the block to paste, or run the script with --update.
    expect(documentedBlock(doc)).toBe(expected);
  });

  it('has no runtime cycle, and no published package needs a private one or an example at runtime', () => {
    const graph: Member[] = readGraph(root);
    expect(findCycles(graph)).toEqual([]);
    const privateNames = new Set(graph.filter((m) => m.private).map((m) => m.name));
    const offending = graph
      .filter((m) => !m.private)
      .flatMap((m) => m.runtime.filter((d) => privateNames.has(d)).map((d) => `${m.name} → ${d}`));
    expect(offending).toEqual([]);
  });

  it('tells runtime from dev dependencies, finds the leaves and reports a cycle', () => {
    const dir = workspace({
      'packages/core': { name: '@fleet/core' },
      'packages/a': { name: '@fleet/a', dependencies: { '@fleet/core': 'workspace:^', undici: '^7' } },
      'packages/b': {
        name: '@fleet/b',
        dependencies: { '@fleet/a': 'workspace:^', '@fleet/core': 'workspace:^' },
        devDependencies: { '@fleet/testkit': 'workspace:^', '@fleet/a': 'workspace:^', vitest: '^4' },
      },
      'packages/testkit': { name: '@fleet/testkit', private: true, dependencies: { '@fleet/core': 'workspace:^' } },
      'examples/server': { name: '@fleet/example-server', private: true, dependencies: { '@fleet/b': 'workspace:^' } },
    });
    const graph: Member[] = readGraph(dir);
    expect(graph.map((m) => [m.name, m.runtime, m.npm, m.dev])).toEqual([
      ['@fleet/a', ['@fleet/core'], ['undici'], []],
      ['@fleet/b', ['@fleet/a', '@fleet/core'], [], ['@fleet/testkit']],
      ['@fleet/core', [], [], []],
      ['@fleet/testkit', ['@fleet/core'], [], []],
      ['@fleet/example-server', ['@fleet/b'], [], []],
    ]);
    const block: string = renderGraph(graph);
    expect(block).toContain('  b --> a\n');
    expect(block).not.toContain('b --> core'); // arrows into core are summed up, not drawn
    expect(block).toContain('| `@fleet/b` | packages/b | `a`, `core` | — | `testkit` |');
    expect(block).toContain('Leaves (no fleet runtime dependency): `@fleet/core`.');
    expect(documentedBlock(`# A\n\n${block}\n\nmore`)).toBe(block);
    expect(documentedBlock('# A\nno markers')).toBeUndefined();

    const cyclic = graph.map((m) => (m.name === '@fleet/core' ? { ...m, runtime: ['@fleet/b'] } : m));
    expect(findCycles(cyclic)).toContain('@fleet/core → @fleet/b → @fleet/a → @fleet/core');
  });
});
