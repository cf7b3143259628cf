import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from './guide.example.js';

describe('guide example', () => {
  it('is quoted verbatim in docs/packages/rollout.md', () => {
    const readme = readFileSync(new URL('../../../docs/packages/rollout.md', import.meta.url), 'utf8');
    const block = /<!-- example: \.\.\/\.\.\/packages\/rollout\/test\/guide\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(
      readme,
    );
    expect(block?.[1]?.trim()).toBe(readFileSync(new URL('./guide.example.ts', import.meta.url), 'utf8').trim());
  });

  it('runs: every node updated, web-2 rebooted, summary printed', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'rollout-readme-'));
    try {
      expect(await main(dir)).toBe('done');
      const summary = String(log.mock.calls[0]?.[0]);
      expect(summary).toMatch(/rollout .* of prod: done/);
      expect(summary).toMatch(/done 6, failed 0/);
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
