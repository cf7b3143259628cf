import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { findCrossMemberPaths, workspaceMembers } from '../workspace-imports.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-imports-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('workspace members reach each other by name only', () => {
  it('finds no relative import or file URL into another member in this repository', () => {
    expect(workspaceMembers(root)).toEqual(
      expect.arrayContaining(['packages/core', 'examples/server', 'examples/cli']),
    );
    expect(findCrossMemberPaths(root)).toEqual([]);
  });

  it('flags imports, dynamic imports and file URLs into another member, not paths inside the same one', () => {
    const dir = tree({
      'packages/a/package.json': '{}',
      'packages/a/src/index.ts': "export const a = 1;\nimport './own.js';\n",
      'examples/x/package.json': '{}',
      'examples/x/test/t.test.ts': [
        "import { a } from '../../../packages/a/src/index.js';",
        "import { own } from '../src/own.js';",
        "import { b } from '@fleet/b';",
        "const m = await import('../../y/src/m.js');",
        "const main = new URL('../../y/dist/main.js', import.meta.url);",
        "const bin = new URL('../../../node_modules/.bin/tsx', import.meta.url);",
      ].join('\n'),
      'examples/y/package.json': '{}',
      'examples/y/src/m.ts': "export * from '../../x/src/z.js';\n",
      'examples/y/node_modules/q/index.js': "import '../../../x/src/z.js';\n",
    });
    const found = findCrossMemberPaths(dir, new Map());
    expect(found).toEqual(
      expect.arrayContaining([
        { file: 'examples/x/test/t.test.ts', specifier: '../../../packages/a/src/index.js', target: 'packages/a' },
        { file: 'examples/x/test/t.test.ts', specifier: '../../y/src/m.js', target: 'examples/y' },
        { file: 'examples/x/test/t.test.ts', specifier: '../../y/dist/main.js', target: 'examples/y' },
        { file: 'examples/y/src/m.ts', specifier: '../../x/src/z.js', target: 'examples/x' },
      ]),
    );
    expect(found).toHaveLength(4);
    const allowed = new Map([['examples/y/src/m.ts', new Set(['../../x/src/z.js'])]]);
    expect(findCrossMemberPaths(dir, allowed)).toHaveLength(3);
  });
});
