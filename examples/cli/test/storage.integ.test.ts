import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inventoryFromLsblk, type StorageProfile } from '@fleet/storage';
import { startSshd } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneErrorLine, runCli } from './run-cli.js';

// `fleet storage plan|apply --local` as a subprocess on real loop devices (root only). The inventory file
// lists only this test's loop devices, so the plan can never touch a real disk of this host; the profile
// builds an LVM volume group over two of them (pvcreate, vgcreate: real changes, no fstab, no mount).
const isRoot = process.getuid?.() === 0;
const hasTools = (() => {
  try {
    execFileSync(
      'sh',
      ['-c', 'command -v losetup && command -v pvcreate && command -v wipefs && test -x /usr/sbin/sshd'],
      { stdio: 'ignore' },
    );
    return true;
  } catch {
    return false;
  }
})();
if (!(isRoot && hasTools) && process.env.CI)
  throw new Error('the CLI loop-device tests need root, losetup, LVM and sshd');

const MIB = 1024 * 1024;
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', timeout: 120_000 }).trim();
const tryRun = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 120_000 });
  } catch {
    // Cleanup goes on with the next item.
  }
};

// The test runs four stages one after another (plan/dry run, apply, apply again, over SSH), each bounded by
// runCli's own 60 s per command: the whole budget is theirs plus sshd's start, so a slow step fails there,
// naming the command, rather than the test ending mid-stage on a busy machine.
describe.skipIf(!(isRoot && hasTools))('fleet storage on real loop devices', { timeout: 300_000 }, () => {
  let dir: string;
  const vg = `fleetcli${randomBytes(3).toString('hex')}`;
  const loops: Record<'system' | 'pv1' | 'pv2', string> = { system: '', pv1: '', pv2: '' };
  let args: string[];

  const attach = (file: string, sizeMiB: number): string => {
    writeFileSync(file, '');
    execFileSync('truncate', ['-s', `${sizeMiB}M`, file], { timeout: 30_000 });
    return sh('losetup', ['-f', '--show', file]);
  };
  const vgs = (): string => {
    try {
      const out = execFileSync('vgs', ['--noheadings', '-o', 'vg_name,pv_count,vg_tags', vg], {
        encoding: 'utf8',
        timeout: 60_000,
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, LVM_SUPPRESS_FD_WARNINGS: '1' },
      });
      return out.trim().replace(/\s+/g, ' ');
    } catch {
      return '';
    }
  };
  const signatures = (dev: string) => sh('wipefs', ['-n', '-J', dev]);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-cli-storage-'));
    loops.system = attach(join(dir, 'system.img'), 305);
    loops.pv1 = attach(join(dir, 'pv1.img'), 64);
    loops.pv2 = attach(join(dir, 'pv2.img'), 72);
    // The installed OS on the system disk: it must survive every apply.
    execFileSync('mkfs.xfs', ['-q', '-L', 'root', loops.system], { timeout: 120_000 });
    const ours = Object.values(loops);
    const all = inventoryFromLsblk(sh('lsblk', ['-J', '-b', '-O']), { includeLoop: true, hostname: 'loop-node' });
    const inventory = { ...all, disks: all.disks.filter((d) => ours.includes(d.path)) };
    expect(inventory.disks.map((d) => d.path).sort()).toEqual([...ours].sort());
    writeFileSync(join(dir, 'inventory.json'), JSON.stringify(inventory));
    const profile: StorageProfile = {
      name: 'cli-loop',
      role: 'custom',
      systemDisk: { minBytes: 300 * MIB, maxBytes: 310 * MIB },
      volumeGroups: [{ name: vg, disks: { maxBytes: 100 * MIB }, minDisks: 2, volumes: [] }],
    };
    writeFileSync(join(dir, 'profile.json'), JSON.stringify(profile));
    args = ['--local', '--inventory', join(dir, 'inventory.json'), '--profile', join(dir, 'profile.json')];
  });

  afterAll(() => {
    tryRun('vgremove', ['-f', vg]);
    for (const pv of [loops.pv1, loops.pv2]) if (pv) tryRun('pvremove', ['-ff', '-y', pv]);
    for (const loop of Object.values(loops)) if (loop) tryRun('losetup', ['-d', loop]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('plans from the node; apply is a dry run by default, refused without --yes-destroy, idempotent once applied', async () => {
    const before = { pv1: signatures(loops.pv1), pv2: signatures(loops.pv2) };
    const [plan, planJson, dry, refused] = await Promise.all([
      runCli(['storage', 'plan', ...args]),
      runCli(['storage', 'plan', ...args, '--json']),
      runCli(['storage', 'apply', ...args]),
      runCli(['storage', 'apply', ...args, '--execute']),
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`system disk   ${loops.system}`);
    expect(plan.stdout).not.toContain('assumed blank');
    const parsed = JSON.parse(planJson.stdout) as { systemDisk: string; steps: Array<{ command: string }> };
    expect(parsed.systemDisk).toBe(loops.system);
    expect(parsed.steps.map((s) => s.command)).toEqual([
      `pvcreate ${loops.pv1}`,
      `pvcreate ${loops.pv2}`,
      `vgcreate --addtag fleet ${vg} ${loops.pv1} ${loops.pv2}`,
    ]);
    // The dry run (the default) prints the plan and changes nothing.
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`$ pvcreate ${loops.pv1}`);
    expect(dry.stdout).toContain('(dry run: nothing was changed; add --execute to apply)');
    // --execute alone is refused before any command: the plan is destructive. The line names the flag.
    expect(refused.code).toBe(2);
    expect(oneErrorLine(refused)).toMatch(
      /^fleet: STORAGE_NOT_ALLOWED: nothing was run; 3 refusal\(s\): .*--yes-destroy/,
    );
    expect(refused.stderr).not.toContain('allowDestructive');
    expect(vgs()).toBe('');
    expect({ pv1: signatures(loops.pv1), pv2: signatures(loops.pv2) }).toEqual(before);

    const applied = await runCli(['storage', 'apply', ...args, '--execute', '--yes-destroy', '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    const result = JSON.parse(applied.stdout) as { dryRun: boolean; done: number; notDone: number };
    expect(result).toMatchObject({ dryRun: false, done: 3, notDone: 0 });
    expect(vgs()).toBe(`${vg} 2 fleet`);
    expect(sh('blkid', ['-p', '-s', 'LABEL', '-o', 'value', loops.system])).toBe('root');

    // Idempotent: the second apply reads the node again, plans nothing and runs nothing.
    const [again, replan] = await Promise.all([
      runCli(['storage', 'apply', ...args, '--execute', '--yes-destroy']),
      runCli(['storage', 'plan', ...args, '--json']),
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('nothing to do');
    expect(again.stdout).toContain('0 step(s) done');
    expect((JSON.parse(replan.stdout) as { steps: unknown[] }).steps).toEqual([]);
    expect(vgs()).toBe(`${vg} 2 fleet`);

    // The same node read over SSH (a real sshd on 127.0.0.1, host key checked) also needs nothing.
    const sshd = await startSshd({ dir: join(dir, 'sshd'), extraConfig: ['SetEnv SHLVL=1'] });
    try {
      writeFileSync(join(dir, 'known_hosts'), `${sshd.knownHostsLine}\n`);
      const ssh = ['--ssh', sshd.host, '--ssh-port', String(sshd.port), '--identity', sshd.privateKeyPath];
      const inventoryArgs = ['--inventory', join(dir, 'inventory.json'), '--profile', join(dir, 'profile.json')];
      const [overSsh, unknownHost] = await Promise.all([
        runCli(['storage', 'apply', ...ssh, '--known-hosts', join(dir, 'known_hosts'), ...inventoryArgs, '--execute']),
        runCli(['storage', 'plan', ...ssh, '--known-hosts', '/dev/null', ...inventoryArgs]),
      ]);
      expect(overSsh.code, overSsh.stderr).toBe(0);
      expect(overSsh.stdout).toContain('nothing to do');
      expect(unknownHost.code).toBe(3);
      expect(oneErrorLine(unknownHost)).toMatch(/^fleet: EXEC_HOST_KEY_[A-Z_]+: /);
    } finally {
      await sshd.stop();
    }
  });
});
