import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecOptions, Executor } from '@fleet/core';
import { createLocalExecutor, createSshExecutor } from '@fleet/exec';
import { startSshd } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyPlan,
  diffLayout,
  gptPartitionGeometry,
  inventoryFromLsblk,
  type PartitionPathResolver,
  planLayout,
  readCurrentState,
  type StorageProfile,
} from '../src/index.js';

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI) throw new Error('the loop-device tests need root');

const MIB = 1024 * 1024;
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', timeout: 120_000 }).trim();
const tryRun = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 120_000 });
  } catch {
    // Cleanup goes on with the next item.
  }
};

/** Wraps an executor and records every command, to prove what ran (and that nothing did). */
function recording(inner: Executor): Executor & { lines: string[] } {
  const lines: string[] = [];
  return {
    target: inner.target,
    lines,
    run(command: string, args: readonly string[], options?: ExecOptions) {
      lines.push([command, ...args].join(' '));
      return inner.run(command, args, options);
    },
  };
}

describe.skipIf(!isRoot)('apply on real loop devices', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-storage-'));
  const vgName = `fleet-it-${randomBytes(3).toString('hex')}`;
  const mountpoint = join(dir, 'mnt', 'data');
  const fstabPath = join(dir, 'fstab');
  const loops: string[] = [];
  const partitionLoops = new Map<string, string>();
  const disks: Record<'system' | 'data' | 'pv1' | 'pv2' | 'cluster', string> = {
    system: '',
    data: '',
    pv1: '',
    pv2: '',
    cluster: '',
  };
  let oldUuid = '';
  let foreignUuid = '';
  const uuids = ['0b7d3c6e-5f0a-4c1e-9d2b-1f2e3d4c5b6a', '1c8e4d7f-6a1b-4d2f-8e3c-2a3b4c5d6e7f'];
  const local = createLocalExecutor({ defaultTimeoutMs: 60_000 });

  const partitionPath: PartitionPathResolver = (disk, partition) => {
    const loop = partitionLoops.get(disk);
    if (!loop || partition.number !== 1) throw new Error(`no stand-in for partition ${partition.number} of ${disk}`);
    return loop;
  };
  const attach = (file: string, sizeMiB: number) => {
    writeFileSync(file, '');
    execFileSync('truncate', ['-s', `${sizeMiB}M`, file], { timeout: 30_000 });
    const loop = sh('losetup', ['-f', '--show', file]);
    loops.push(loop);
    // No udev here, so no partition nodes: an offset loop device over the same file stands in for
    // partition 1, at exactly the geometry fleet's sgdisk step creates.
    const { startBytes, sizeBytes } = gptPartitionGeometry(sizeMiB * MIB);
    const part = sh('losetup', ['-o', String(startBytes), '--sizelimit', String(sizeBytes), '-f', '--show', file]);
    loops.push(part);
    partitionLoops.set(loop, part);
    return loop;
  };

  const profile = (): StorageProfile => ({
    name: 'loop-node',
    role: 'custom',
    systemDisk: { minBytes: 300 * MIB, maxBytes: 310 * MIB },
    filesystems: [{ name: 'data', disk: { minBytes: 400 * MIB, maxBytes: 410 * MIB }, mountpoint }],
    volumeGroups: [{ name: vgName, disks: { maxBytes: 100 * MIB }, minDisks: 2, volumes: [] }],
    clusterDisks: { disks: 'remaining' },
  });
  const read = (executor: Executor = local) =>
    readCurrentState(executor, { devices: Object.values(disks), partitionPath, fstabPath });
  const plan = async (executor: Executor = local) => {
    const all = inventoryFromLsblk(sh('lsblk', ['-J', '-b', '-O']), { includeLoop: true, hostname: 'loop-node' });
    const inventory = { ...all, disks: all.disks.filter((d) => Object.values(disks).includes(d.path)) };
    const layout = planLayout(inventory, profile());
    let next = 0;
    return diffLayout(layout, await read(executor), { partitionPath, fstabPath, newUuid: () => uuids[next++]! });
  };

  beforeAll(() => {
    disks.system = attach(join(dir, 'system.img'), 305);
    disks.data = attach(join(dir, 'data.img'), 405);
    disks.pv1 = attach(join(dir, 'pv1.img'), 64);
    disks.pv2 = attach(join(dir, 'pv2.img'), 72);
    disks.cluster = attach(join(dir, 'cluster.img'), 320);
    writeFileSync(fstabPath, '# test fstab\n');
    // The installed OS on the system disk.
    execFileSync('mkfs.xfs', ['-q', '-L', 'root', disks.system], { timeout: 120_000 });
    // The incident: an old XFS inside the area where the new data partition will start.
    execFileSync('mkfs.xfs', ['-q', partitionLoops.get(disks.data)!], { timeout: 120_000 });
    oldUuid = sh('blkid', ['-p', '-s', 'UUID', '-o', 'value', partitionLoops.get(disks.data)!]);
    // Data fleet did not create, on a disk the profile hands to the cluster filesystem.
    execFileSync('mkfs.xfs', ['-q', disks.cluster], { timeout: 120_000 });
    foreignUuid = sh('blkid', ['-p', '-s', 'UUID', '-o', 'value', disks.cluster]);
  });

  afterAll(() => {
    tryRun('umount', [mountpoint]);
    tryRun('vgremove', ['-f', vgName]);
    for (const pv of [disks.pv1, disks.pv2]) if (pv) tryRun('pvremove', ['-ff', '-y', pv]);
    for (const loop of loops.reverse()) tryRun('losetup', ['-d', loop]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('plans every step, with the wipe before mkfs and risks marked', async () => {
    const { steps } = await plan();
    expect(steps.map((s) => `${s.action} ${s.args.at(-1)}`)).toEqual([
      `wipefs ${disks.cluster}`,
      `sgdisk ${disks.cluster}`,
      `sgdisk ${disks.data}`,
      `wipefs ${partitionLoops.get(disks.data)}`,
      `mkfs.xfs ${partitionLoops.get(disks.data)}`,
      `mkdir ${mountpoint}`,
      `mount ${mountpoint}`,
      `fstab ${fstabPath}`,
      `pvcreate ${disks.pv1}`,
      `pvcreate ${disks.pv2}`,
      `vgcreate ${disks.pv2}`,
    ]);
    expect(steps[0]?.foreignData).toContain(foreignUuid);
    expect(steps.some((s) => s.disk === disks.system)).toBe(false);
  });

  it('dry-run (the default) runs nothing but reads; missing flags refuse before the first command', async () => {
    const p = await plan();
    const recorder = recording(local);
    const dry = await applyPlan(recorder, p);
    expect(dry.dryRun).toBe(true);
    expect(dry.text).toContain('FOREIGN DATA');
    expect(recorder.lines).toEqual([]);
    await expect(applyPlan(recorder, p, { dryRun: false })).rejects.toMatchObject({ code: 'STORAGE_NOT_ALLOWED' });
    await expect(applyPlan(recorder, p, { dryRun: false, allowDestructive: true })).rejects.toThrow(/allowForeignData/);
    expect(recorder.lines).toEqual([]);
    expect(sh('blkid', ['-p', '-s', 'UUID', '-o', 'value', disks.cluster])).toBe(foreignUuid);
  });

  it('applies for real: old XFS wiped before mkfs, mounted and in fstab by UUID', async () => {
    const p = await plan();
    const result = await applyPlan(local, p, { dryRun: false, allowDestructive: true, allowForeignData: true });
    expect(result.done).toHaveLength(p.steps.length);
    const part = partitionLoops.get(disks.data)!;
    const signatures = JSON.parse(sh('wipefs', ['-J', part])) as { signatures: { type: string; uuid: string }[] };
    expect(signatures.signatures).toEqual([expect.objectContaining({ type: 'xfs', uuid: uuids[0] })]);
    expect(sh('blkid', ['-p', '-s', 'UUID', '-o', 'value', part])).not.toBe(oldUuid);
    expect(sh('findmnt', ['-n', '-o', 'SOURCE', mountpoint])).toBe(part);
    expect(readFileSync(fstabPath, 'utf8')).toContain(`UUID=${uuids[0]} ${mountpoint} xfs defaults,nofail 0 2\n`);
    expect(sh('sgdisk', ['--info=1', disks.cluster])).toMatch(/Partition name: 'fleet-cluster-0'/);
    expect(sh('blkid', ['-p', '-s', 'UUID', '-o', 'value', disks.cluster]).includes(foreignUuid)).toBe(false);
    expect(sh('vgs', ['--noheadings', '-o', 'vg_tags', vgName])).toBe('fleet');
    // The system disk still has its filesystem.
    expect(sh('blkid', ['-p', '-s', 'LABEL', '-o', 'value', disks.system])).toBe('root');
  });

  it('a second apply finds nothing to do and runs no command', async () => {
    const again = await plan();
    expect(again.steps).toEqual([]);
    const recorder = recording(local);
    const result = await applyPlan(recorder, again, { dryRun: false, allowDestructive: true });
    expect(result.done).toEqual([]);
    expect(recorder.lines).toEqual([]);
    expect(result.text).toContain('nothing to do');
  });

  it('reads the same state through the SSH executor as locally, and finds nothing to do over SSH either', async () => {
    // SHLVL=1: bash skips ~/.bashrc for sshd's commands (see @fleet/exec's tests).
    const sshd = await startSshd({ extraConfig: ['SetEnv SHLVL=1'] });
    const ssh = createSshExecutor({
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      privateKey: sshd.privateKey,
      knownHosts: sshd.knownHostsLine,
    });
    try {
      expect(await read(ssh)).toEqual(await read(local));
      expect((await plan(ssh)).steps).toEqual([]);
    } finally {
      await ssh.close?.();
      await sshd.stop();
      rmSync(sshd.dir, { recursive: true, force: true });
    }
  });

  it('plans lvcreate with arguments the real lvcreate accepts (it then stops: no device-mapper here)', async () => {
    const all = inventoryFromLsblk(sh('lsblk', ['-J', '-b', '-O']), { includeLoop: true });
    const inventory = { ...all, disks: all.disks.filter((d) => Object.values(disks).includes(d.path)) };
    const p = profile();
    p.volumeGroups![0]!.volumes = [
      { name: 'db', size: 8 * MIB, mountpoint: join(dir, 'mnt', 'db') },
      { name: 'scratch', size: 20 * MIB, mountpoint: join(dir, 'mnt', 'scratch') },
    ];
    const steps = diffLayout(planLayout(inventory, p), await read(), { partitionPath, fstabPath }).steps;
    const lvcreates = steps.filter((s) => s.action === 'lvcreate');
    expect(lvcreates).toHaveLength(2);
    for (const step of lvcreates) {
      const result = await local.run('lvcreate', ['--test', ...step.args], { env: { LVM_SUPPRESS_FD_WARNINGS: '1' } });
      expect(result.stderr).toContain('device-mapper');
      expect(result.stderr).not.toMatch(/invalid|unrecognized|not a valid/i);
    }
  });
});
