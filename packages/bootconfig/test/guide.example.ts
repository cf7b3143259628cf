import { type NodeInput, type SiteInput, renderNodeFiles } from '@fleet/bootconfig';

export function main(): string[] {
  const site: SiteInput = {
    name: 'fra1',
    domain: 'fra1.example.net',
    netboot: {
      baseUrl: 'http://198.18.0.10:8080/boot',
      live: { kernel: '/live/vmlinuz', initrd: '/live/initrd.img' },
      installers: { debian: { kernel: '/debian/linux', initrd: '/debian/initrd.gz' } },
    },
    machineDbUrl: 'http://198.18.0.10:8080',
    admin: { user: 'fleet', sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILlMUInX/C4Kq4YN7DkwVjzf1tgVJ6fEqkdLV23/ZwF/ admin@lab'] },
    consul: { datacenter: 'fra1', retryJoin: ['198.19.0.1'], encryptKey: 'WmeTcqwqOpo97qpu3/0rIaymaGxDnDcofhvmNud0pUY=' },
    asnScheme: { sites: { fra1: { nodeBase: 4_200_001_000, torBase: 4_200_002_000, racks: { r01: 1 } } } },
    templates: { default: { mirror: 'http://mirror.fra1.example.net/debian' } },
  };
  const node: NodeInput = {
    hostname: 'cmp-0101', role: 'compute', site: 'fra1', rack: 'r01',
    bootMac: '3c:ec:ef:12:34:56', firmware: 'uefi', bootTarget: 'install',
    systemDisk: '/dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR_S64FNE0R812345',
    management: { interface: 'eno1', mac: '3c:ec:ef:12:34:56', address: '198.18.20.15/24', gateway: '198.18.20.1', nameservers: ['198.18.20.2'] },
    fabric: [
      { interface: 'fab0', ipv4: '198.18.100.1/31', peerIpv4: '198.18.100.0' },
      { interface: 'fab1', ipv4: '198.18.101.1/31', peerIpv4: '198.18.101.0' },
    ],
    loopback: { ipv4: '198.19.1.15' },
    installToken: 'tok_0123456789abcdef',
  };
  // Validates everything first (BOOTCONFIG_INVALID_INPUT on the first bad field), then renders.
  return renderNodeFiles(node, site).map((f) => `${f.mode.toString(8)} ${f.secret ? 'secret' : 'plain '} ${f.path}`);
}
