import { createScriptedExecutor } from '@fleet/exec';
import { describe, expect, it } from 'vitest';
import { applyPlan, computeProfile, diffLayout, planLayout, storageProfile, StorageApplyError } from '../src/index.js';
import { computeNode, installedState, storageNode } from './nodes.js';

const UUID = '11111111-2222-4333-8444-555555555555';
const computePlan = () =>
  diffLayout(planLayout(computeNode, computeProfile()), installedState(computeNode), { newUuid: () => UUID });

describe('applyPlan', () => {
  it('is a dry run by default: prints the plan as text and JSON and runs nothing', async () => {
    const executor = createScriptedExecutor([]);
    const result = await applyPlan(executor, computePlan());
    expect(executor.calls).toEqual([]);
    expect(result).toMatchObject({ dryRun: true, done: [] });
    expect(result.notDone).toHaveLength(9);
    expect(result.text).toContain(
      '[DESTRUCTIVE] erase old signatures inside the new volume /dev/fleet-instances/instances',
    );
    expect(result.json.steps[8]).toMatchObject({ action: 'fstab', destructive: false, index: 9 });
    expect(JSON.parse(JSON.stringify(result.json))).toEqual(result.json);
  });

  it('refuses destructive steps without allowDestructive, before running anything', async () => {
    const executor = createScriptedExecutor([]);
    await expect(applyPlan(executor, computePlan(), { dryRun: false })).rejects.toMatchObject({
      code: 'STORAGE_NOT_ALLOWED',
      message: expect.stringContaining('step 1 (pvcreate /dev/nvme0n1) is destructive: pass allowDestructive'),
    });
    expect(executor.calls).toEqual([]);
  });

  it('needs a second override for foreign data and for the system disk', async () => {
    const state = installedState(storageNode);
    state.devices['/dev/sdc']!.signatures = [{ offset: 0x438, type: 'ext4' }];
    const sdd = state.blockDevices.find((d) => d.path === '/dev/sdd')!;
    sdd.mountpoints = ['/'];
    const plan = diffLayout(planLayout(storageNode, storageProfile()), state);
    const executor = createScriptedExecutor([
      { command: 'wipefs', repeat: true },
      { command: 'sgdisk', repeat: true },
    ]);
    const error = (await applyPlan(executor, plan, { dryRun: false, allowDestructive: true }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toMatchObject({ code: 'STORAGE_NOT_ALLOWED' });
    expect(error.message).toMatch(/\/dev\/sdc.*allowForeignData/);
    expect(error.message).toMatch(/\/dev\/sdd.*allowSystemDisk/);
    await expect(
      applyPlan(executor, plan, { dryRun: false, allowDestructive: true, allowForeignData: true }),
    ).rejects.toThrow(/allowSystemDisk/);
    expect(executor.calls).toEqual([]);
    const result = await applyPlan(executor, plan, {
      dryRun: false,
      allowDestructive: true,
      allowForeignData: true,
      allowSystemDisk: true,
    });
    expect(result.done).toHaveLength(plan.steps.length);
  });

  it('stops at the first failed step and says what was done and what was not', async () => {
    const executor = createScriptedExecutor([
      { command: 'pvcreate', repeat: true },
      { command: 'vgcreate', code: 5, stderr: '  Device /dev/nvme1n1 excluded by a filter.' },
    ]);
    const error = await applyPlan(executor, computePlan(), { dryRun: false, allowDestructive: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageApplyError);
    const failure = error as StorageApplyError;
    expect(failure.code).toBe('STORAGE_STEP_FAILED');
    expect(failure.message).toMatch(
      /step 3 \(vgcreate --addtag fleet fleet-instances \/dev\/nvme0n1 \/dev\/nvme1n1\).*exited 5.*excluded by a filter.*2 step\(s\) done, 7 not done/,
    );
    expect(failure.done.map((o) => o.step.action)).toEqual(['pvcreate', 'pvcreate']);
    expect(failure.notDone.map((s) => s.action)).toEqual([
      'vgcreate',
      'lvcreate',
      'wipefs',
      'mkfs.xfs',
      'mkdir',
      'mount',
      'fstab',
    ]);
    expect(executor.calls.map((c) => c.command)).toEqual(['pvcreate', 'pvcreate', 'vgcreate']);
  });

  it('writes fstab through tee with the line on stdin', async () => {
    const executor = createScriptedExecutor([
      { command: 'pvcreate', repeat: true },
      { command: 'vgcreate' },
      { command: 'lvcreate' },
      { command: 'wipefs' },
      { command: 'mkfs.xfs' },
      { command: 'mkdir' },
      { command: 'mount' },
      { command: 'tee', args: ['-a', '/etc/fstab'] },
    ]);
    await applyPlan(executor, computePlan(), { dryRun: false, allowDestructive: true });
    expect(executor.calls.at(-1)?.options.stdin).toBe(`UUID=${UUID} /var/lib/nova/instances xfs defaults,nofail 0 2\n`);
    expect(executor.unused()).toEqual([]);
  });
});
