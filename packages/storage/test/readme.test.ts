import { readFileSync } from 'node:fs';
import { createScriptedExecutor } from '@fleet/exec';
import { describe, expect, it } from 'vitest';
import { applyPlan, controllerProfile, diffLayout, planLayout } from '../src/index.js';
import { controllerNode, installedState } from './nodes.js';

describe('README', () => {
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
