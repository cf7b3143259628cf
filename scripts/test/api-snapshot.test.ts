import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { compareSnapshots, normaliseDts } from '../api-snapshot.mjs';

function repo(dts: string, snapshot: string | undefined, changeset: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'fleet-api-'));
  mkdirSync(join(root, 'packages/x/dist'), { recursive: true });
  mkdirSync(join(root, '.changeset'));
  writeFileSync(join(root, 'packages/x/package.json'), JSON.stringify({ name: '@fleet/x' }));
  writeFileSync(join(root, 'packages/x/dist/index.d.ts'), dts);
  if (snapshot !== undefined) {
    mkdirSync(join(root, 'packages/x/etc'));
    writeFileSync(join(root, 'packages/x/etc/public-api.d.ts'), snapshot);
  }
  if (changeset) writeFileSync(join(root, '.changeset/a.md'), changeset);
  return root;
}

describe('API snapshots', () => {
  const v1 = '/** doc */\ndeclare function a(x: string): number;\nexport { a };\n';
  it('ignores comments and blank lines', () => {
    expect(normaliseDts(v1)).toBe(normaliseDts('declare function a(x: string): number;\n\n// c\nexport { a };'));
  });
  it('passes an unchanged API', () => {
    const r = compareSnapshots(repo(v1, normaliseDts(v1), undefined));
    expect(r.same).toEqual(['@fleet/x']);
    expect(r.changed).toEqual([]);
  });
  it('flags a removed export without a changeset, and accepts it with one', () => {
    const v2 = 'declare function a(x: string): number;\nexport {};\n';
    const bare = compareSnapshots(repo(v2, normaliseDts(v1), undefined));
    expect(bare.changed).toMatchObject([{ name: '@fleet/x', covered: false }]);
    const withCs = compareSnapshots(repo(v2, normaliseDts(v1), '---\n"@fleet/x": major\n---\n\nRemoved a.\n'));
    expect(withCs.changed).toMatchObject([{ name: '@fleet/x', covered: true }]);
  });
  it('flags a changed signature', () => {
    const v3 = 'declare function a(x: number): number;\nexport { a };\n';
    expect(compareSnapshots(repo(v3, normaliseDts(v1), '---\n"@fleet/other": patch\n---\n')).changed).toMatchObject([
      { covered: false },
    ]);
  });
});
