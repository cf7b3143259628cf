import { readFileSync } from 'node:fs';
import { createScriptedExecutor } from '@fleet/exec';
import { describe, expect, it, vi } from 'vitest';
import { main } from './guide.example.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const emptyReport = (key: string) => JSON.stringify({ report: [{ [key]: [] }] });

describe('guide', () => {
  it('is quoted verbatim in docs/packages/storage.md', () => {
    const readme = readFileSync(new URL('../../../docs/packages/storage.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./guide.example.ts', import.meta.url), 'utf8');
    const block = /<!-- example: \.\.\/\.\.\/packages\/storage\/test\/guide\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme);
    expect(block?.[1]).toBe(example);
  });

  it('plans a freshly installed compute node (captured lsblk) and runs only reads', async () => {
    const node = createScriptedExecutor([
      { command: 'lsblk', stdout: fixture('compute.lsblk.json'), repeat: true },
      { command: 'sfdisk', code: 1, repeat: true },
      { command: 'wipefs', repeat: true },
      { command: 'blkid', code: 2, repeat: true },
      { command: 'pvs', stdout: emptyReport('pv') },
      { command: 'vgs', stdout: emptyReport('vg') },
      { command: 'lvs', stdout: emptyReport('lv') },
      { command: 'findmnt', stdout: fixture('compute-applied.findmnt.json').replace(/,\s*\{[^}]*nova[^}]*\}/, '') },
      { command: 'cat', stdout: 'UUID=2f6c / ext4 errors=remount-ro 0 1\n' },
    ]);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const preview = await main(node);
      expect(preview.dryRun).toBe(true);
      expect(preview.json.steps.map((s) => s.action)).toEqual([
        'pvcreate',
        'pvcreate',
        'vgcreate',
        'lvcreate',
        'wipefs',
        'mkfs.xfs',
        'mkdir',
        'mount',
        'fstab',
      ]);
      expect(log).toHaveBeenCalledWith(preview.text);
    } finally {
      log.mockRestore();
    }
    expect(node.calls.map((c) => c.command)).not.toContain('pvcreate');
  });
});
