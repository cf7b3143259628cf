import type { NodeInput, SiteInput } from '../src/index.js';

export const ADMIN_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILlMUInX/C4Kq4YN7DkwVjzf1tgVJ6fEqkdLV23/ZwF/ admin@lab';
export const OPS_KEY =
  'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBN8Inv8JZ5ZYUMRCjmuSXT/FSFn434ViNhOv4LAgLrLxhL9tHJFt63PUwYRVYy7Fv/QnZxMGBXqXU3ik14e5DUM= ops@lab';
export const CONSUL_KEY = 'WmeTcqwqOpo97qpu3/0rIaymaGxDnDcofhvmNud0pUY=';
export const BMC_PASSWORD = 'Bmc-S3cret!pw';
export const INSTALL_TOKEN = 'tok_0123456789abcdefABCDEF';

export function makeSite(overrides: Partial<SiteInput> = {}): SiteInput {
  return {
    name: 'fra1',
    domain: 'fra1.example.net',
    netboot: {
      baseUrl: 'http://198.18.0.10:8080/boot',
      live: { kernel: '/live/vmlinuz', initrd: '/live/initrd.img', args: ['boot=live', 'fetch=http://198.18.0.10:8080/boot/live/filesystem.squashfs'] },
      installers: {
        debian: { kernel: '/debian/bookworm/linux', initrd: '/debian/bookworm/initrd.gz' },
        ubuntu: { kernel: '/ubuntu/noble/vmlinuz', initrd: '/ubuntu/noble/initrd' },
      },
    },
    machineDbUrl: 'http://198.18.0.10:8080',
    admin: { user: 'fleet', sshKeys: [ADMIN_KEY] },
    consul: { datacenter: 'fra1', retryJoin: ['198.19.0.1', 'consul.fra1.example.net'], encryptKey: CONSUL_KEY },
    asnScheme: {
      sites: { fra1: { nodeBase: 4_200_001_000, torBase: 4_200_002_000, racks: { r01: 1, r02: 2 } } },
      roles: { lb: 65_001 },
    },
    templates: {
      default: { mirror: 'http://mirror.fra1.example.net/debian', proxy: 'http://198.18.0.11:3128' },
      roles: {
        compute: { extraPackages: ['qemu-system-x86', 'libvirt-daemon-system'] },
        storage: {
          distro: { family: 'ubuntu', suite: 'noble' },
          mirror: 'http://mirror.fra1.example.net/ubuntu',
          kernelArgs: ['console=ttyS1,115200n8', 'intel_iommu=on'],
        },
      },
    },
    ...overrides,
  };
}

export function makeNode(overrides: Partial<NodeInput> = {}): NodeInput {
  return {
    hostname: 'cmp-0101',
    role: 'compute',
    site: 'fra1',
    rack: 'r01',
    bootMac: '3c:ec:ef:12:34:56',
    firmware: 'uefi',
    bootTarget: 'install',
    systemDisk: '/dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR-00A07_S64FNE0R812345',
    management: {
      interface: 'eno1',
      mac: '3c:ec:ef:12:34:56',
      address: '198.18.20.15/24',
      gateway: '198.18.20.1',
      nameservers: ['198.18.20.2', '198.18.20.3'],
    },
    fabric: [
      {
        interface: 'fab0',
        mac: '0c:42:a1:00:00:01',
        ipv4: '198.18.100.1/31',
        peerIpv4: '198.18.100.0',
        ipv6: '2001:db8:100::1/127',
        peerIpv6: '2001:db8:100::',
      },
      {
        interface: 'fab1',
        mac: '0c:42:a1:00:00:02',
        ipv4: '198.18.101.1/31',
        peerIpv4: '198.18.101.0',
        ipv6: '2001:db8:101::1/127',
        peerIpv6: '2001:db8:101::',
      },
    ],
    loopback: { ipv4: '198.19.1.15', ipv6: '2001:db8:ff::15' },
    serviceAddresses: ['198.19.250.10/32'],
    sshKeys: [OPS_KEY],
    installToken: INSTALL_TOKEN,
    bmc: { address: '198.18.30.15', username: 'admin', password: BMC_PASSWORD },
    ...overrides,
  };
}

/** A node of every shape the goldens cover. */
export function sampleNodes(): { name: string; node: NodeInput }[] {
  return [
    { name: 'debian-uefi-install', node: makeNode() },
    {
      name: 'ubuntu-bios-local',
      node: makeNode({
        hostname: 'sto-0201',
        role: 'storage',
        rack: 'r02',
        bootMac: '3c:ec:ef:00:02:01',
        firmware: 'bios',
        bootTarget: 'local',
        management: {
          interface: 'eno1',
          mac: '3c:ec:ef:00:02:01',
          address: '198.18.21.21/24',
          gateway: '198.18.21.1',
          nameservers: ['198.18.20.2'],
        },
        fabric: [
          { interface: 'fab0', ipv4: '198.18.110.1/31', peerIpv4: '198.18.110.0', mtu: 9000 },
          { interface: 'fab1', ipv4: '198.18.111.1/31', peerIpv4: '198.18.111.0', peerAsn: 65_210 },
        ],
        loopback: { ipv4: '198.19.2.21' },
        serviceAddresses: [],
        sshKeys: [],
        bmc: undefined,
      }),
    },
    {
      name: 'lb-uefi-live',
      node: makeNode({
        hostname: 'lb-0102',
        role: 'lb',
        bootMac: '3c:ec:ef:00:01:02',
        bootTarget: 'live',
        serviceAddresses: ['198.19.250.0/24', '2001:db8:250::/48'],
        settings: { kernelArgs: ['console=tty0', 'mitigations=auto'], proxy: null },
      }),
    },
  ];
}
