import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  renderAutoinstallUserData,
  renderBirdConfig,
  renderFallbackFiles,
  renderGrubConfig,
  renderNetplan,
  renderPreseed,
  renderSshdConfig,
} from '../src/index.js';
import { checkAutoinstallSection } from './autoinstall-schema.js';
import { makeSite, sampleNodes } from './fixture.js';

// Each renderer's output goes through the program that reads it on a real node. Each tool also gets one
// broken sample, so a silently passing tool (wrong flags, missing binary) fails the test.

function run(cmd: string, args: string[]): { code: number; out: string } {
  const result = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

function hasTool(path: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${path}`]).status === 0;
}

const tools = ['grub-script-check', 'bird', 'debconf-set-selections', 'cloud-init', 'netplan', '/usr/sbin/sshd', 'ssh-keygen'];
const missing = tools.filter((t) => !hasTool(t));
if (missing.length > 0 && process.env.CI) throw new Error(`tools missing for bootconfig tests: ${missing.join(', ')}`);

describe.skipIf(missing.length > 0)('rendered files pass the real tools', () => {
  let dir: string;
  let hostKey: string;
  const site = makeSite();
  const nodes = sampleNodes();
  const write = (name: string, content: string): string => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bootconfig-tools-'));
    hostKey = join(dir, 'ssh_host_ed25519_key');
    expect(run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]).code).toBe(0);
    mkdirSync('/run/sshd', { recursive: true });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('grub-script-check accepts every GRUB config and the fallback', () => {
    for (const { name, node } of nodes) {
      for (const firmware of ['uefi', 'bios'] as const) {
        for (const bootTarget of ['live', 'install', 'local'] as const) {
          const file = write(`grub-${name}-${firmware}-${bootTarget}.cfg`, renderGrubConfig({ ...node, firmware, bootTarget }, site));
          const result = run('grub-script-check', [file]);
          expect(result.code, `${file}: ${result.out}`).toBe(0);
        }
      }
    }
    const fallback = renderFallbackFiles(site).find((f) => f.path === 'grub/grub.cfg')!;
    expect(run('grub-script-check', [write('grub-fallback.cfg', fallback.content)]).code).toBe(0);
    expect(run('grub-script-check', [write('grub-broken.cfg', 'menuentry x {\n linux /k\n')]).code).not.toBe(0);
  });

  it('bird -p accepts every bird config', () => {
    for (const { name, node } of nodes) {
      const file = write(`bird-${name}.conf`, renderBirdConfig(node, site));
      const result = run('bird', ['-p', '-c', file]);
      expect(result.code, `${name}: ${result.out}`).toBe(0);
    }
    expect(run('bird', ['-p', '-c', write('bird-broken.conf', 'router id 1.2.3;\n')]).code).not.toBe(0);
  });

  it('debconf-set-selections --checkonly accepts every preseed', () => {
    for (const { name, node } of nodes) {
      const file = write(`preseed-${name}.cfg`, renderPreseed(node, site));
      const result = run('debconf-set-selections', ['--checkonly', file]);
      expect(result.code, `${name}: ${result.out}`).toBe(0);
      expect(result.out).toBe('');
    }
    const broken = run('debconf-set-selections', ['--checkonly', write('preseed-broken.cfg', 'd-i onlytwo\n')]);
    expect(broken.code).not.toBe(0);
  });

  it('cloud-init schema and our autoinstall schema accept every user-data', () => {
    for (const { name, node } of nodes) {
      const content = renderAutoinstallUserData(node, site);
      const file = write(`user-data-${name}`, content);
      const result = run('cloud-init', ['schema', '--config-file', file]);
      expect(result.code, `${name}: ${result.out}`).toBe(0);
      expect(result.out).toContain('Valid');
      const doc = parseYaml(content) as { autoinstall: unknown };
      expect(checkAutoinstallSection(doc.autoinstall)).toEqual([]);
    }
    const broken = run('cloud-init', ['schema', '--config-file', write('user-data-broken', '#cloud-config\nruncmd: 5\n')]);
    expect(broken.code).not.toBe(0);
  });

  it('netplan generate accepts every netplan file and sets MTU 9000 and the loopback host routes', () => {
    for (const { name, node } of nodes) {
      const root = join(dir, `netplan-${name}`);
      mkdirSync(join(root, 'etc/netplan'), { recursive: true });
      const file = join(root, 'etc/netplan/60-fleet.yaml');
      writeFileSync(file, renderNetplan(node, site));
      chmodSync(file, 0o600);
      const result = run('netplan', ['generate', '--root-dir', root]);
      expect(result.code, `${name}: ${result.out}`).toBe(0);
      const networkd = join(root, 'run/systemd/network');
      const lo = run('cat', [join(networkd, '10-netplan-lo.network')]).out;
      expect(lo).toContain(`Address=${node.loopback.ipv4}/32`);
      const fab0 = run('cat', [join(networkd, '10-netplan-fab0.network')]).out + run('cat', [join(networkd, '10-netplan-fab0.link')]).out;
      expect(fab0).toMatch(/MTUBytes=9000/);
    }
    const root = join(dir, 'netplan-broken');
    mkdirSync(join(root, 'etc/netplan'), { recursive: true });
    writeFileSync(join(root, 'etc/netplan/x.yaml'), 'network:\n  version: 2\n  ethernets:\n    e0:\n      mtu: lots\n');
    chmodSync(join(root, 'etc/netplan/x.yaml'), 0o600);
    expect(run('netplan', ['generate', '--root-dir', root]).code).not.toBe(0);
  });

  it('sshd -t accepts the sshd drop-in', () => {
    for (const { name, node } of nodes) {
      const file = write(`sshd-${name}.conf`, renderSshdConfig(node, site));
      const result = run('/usr/sbin/sshd', ['-t', '-f', file, '-h', hostKey]);
      expect(result.code, `${name}: ${result.out}`).toBe(0);
      // The effective configuration, as sshd itself reads it.
      const effective = run('/usr/sbin/sshd', ['-T', '-f', file, '-h', hostKey]).out.split('\n');
      for (const line of ['passwordauthentication no', 'kbdinteractiveauthentication no', 'permitrootlogin no', 'allowusers fleet']) {
        expect(effective, `${name}: ${line}`).toContain(line);
      }
    }
    const broken = run('/usr/sbin/sshd', ['-t', '-f', write('sshd-broken.conf', 'PermitRootLogin maybe\n'), '-h', hostKey]);
    expect(broken.code).not.toBe(0);
  });
});
