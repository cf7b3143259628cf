import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { checkDocs, checkMarkdown, checkPackageExamples } from '../docs-check.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('docs check', () => {
  it('finds no stale snippet, dead link or unknown pnpm script in the repository docs', () => {
    expect(checkDocs(root)).toEqual([]);
  });

  it('catches a stale snippet, an unmarked code block, a dead link and an unknown script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-docs-'));
    mkdirSync(join(dir, 'test'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'x' } }));
    writeFileSync(join(dir, 'test/example.ts'), "console.log('new');\n");
    const md = [
      '[ok](package.json) [dead](missing.md)',
      '<!-- example: test/example.ts -->',
      '```ts',
      "console.log('old');",
      '```',
      '```ts',
      'unmarked();',
      '```',
      '```sh',
      'pnpm start && pnpm nosuchscript',
      '```',
    ].join('\n');
    writeFileSync(join(dir, 'README.md'), md);
    const problems: string[] = checkMarkdown(join(dir, 'README.md'), dir);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/dead link missing\.md/);
    expect(problems.join('\n')).toMatch(/stale snippet/);
    expect(problems.join('\n')).toMatch(/not extracted/);
    expect(problems.join('\n')).toMatch(/pnpm nosuchscript/);
  });

  it('names a package README that does not open with its example', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-docs-'));
    mkdirSync(join(dir, 'packages/x'), { recursive: true });
    writeFileSync(join(dir, 'packages/x/package.json'), JSON.stringify({ name: '@fleet/x' }));
    writeFileSync(join(dir, 'packages/x/README.md'), '# @fleet/x\n\nDoes x.\n\n## Concepts\n');
    expect(checkPackageExamples(dir)).toEqual(['packages/x/README.md: has no ```ts example']);
  });
});
