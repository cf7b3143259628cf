import { readFileSync } from 'node:fs';
import { createScriptedExecutor } from '@fleet/exec';
import { describe, expect, it, vi } from 'vitest';
import { applyPlan, controllerProfile, diffLayout, planLayout } from '../src/index.js';
import { controllerNode, installedState } from './nodes.js';
import { main } from './readme.example.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const emptyReport = (key: string) => JSON.stringify({ report: [{ [key]: [] }] });

describe('README', () => {
  it('embeds test/readme.example.ts verbatim', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./readme.example.ts', import.meta.url), 'utf8');
    const block = /<!-- example: test\/readme\.example\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme);
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

  it('shows the real dry-run output of the controller node', async () => {
    const uuids = [
      '5b0e6f0c-3c1a-4f5e-9a47-0d2e8c1b7a31',
      'c2d4e6f8-1a3b-4c5d-8e7f-90a1b2c3d4e5',
      '7f3a9b1c-2d4e-4f60-a1b2-c3d4e5f60718',
    ];
    let n = 0;
    const plan = diffLayout(planLayout(controllerNode, controllerProfile()), installedState(controllerNode), {
      newUuid: () => uuids[n++]!,
    });
    const preview = await applyPlan(createScriptedExecutor([]), plan);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`\n${preview.text}\`\`\``);
  });
});
