import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderFallbackFiles, renderNodeFiles, renderPreseed, renderAutoinstallUserData } from '../src/index.js';
import { makeSite, sampleNodes } from './fixture.js';

// UPDATE_GOLDEN=1 rewrites the golden files; review the diff before committing.
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden');

function golden(name: string, content: string): void {
  const file = join(GOLDEN, name);
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE && process.env.CI) throw new Error(`golden file ${name} is missing; run with UPDATE_GOLDEN=1`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  expect(content, `golden ${name} (UPDATE_GOLDEN=1 to accept changes)`).toBe(readFileSync(file, 'utf8'));
}

function goldenName(path: string): string {
  return path.replace(/^\//, '').replaceAll('/', '__');
}

describe('golden files', () => {
  for (const { name, node } of sampleNodes()) {
    it(`renders every file of ${name} as recorded`, () => {
      const files = renderNodeFiles(node, makeSite());
      for (const file of files) golden(`${name}/${goldenName(file.path)}`, file.content);
      // The file list itself (paths, modes, secret flags) is part of the contract.
      golden(
        `${name}/_files.txt`,
        files.map((f) => `${f.scope} ${f.mode.toString(8).padStart(4, '0')} ${f.secret ? 'secret' : 'plain '} ${f.path}\n`).join(''),
      );
    });
  }

  it('renders both installer flavours for the same node', () => {
    const { node } = sampleNodes()[0]!;
    golden('debian-uefi-install/_as-autoinstall__user-data', renderAutoinstallUserData(node, makeSite()));
    const ubuntu = sampleNodes()[1]!.node;
    golden('ubuntu-bios-local/_as-preseed__preseed.cfg', renderPreseed(ubuntu, makeSite()));
  });

  it('renders the fallback files for unknown MACs', () => {
    for (const file of renderFallbackFiles(makeSite())) golden(`fallback/${goldenName(file.path)}`, file.content);
  });
});
