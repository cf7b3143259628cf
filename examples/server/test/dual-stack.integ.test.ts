import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NodeInput, type RenderedFile, renderNodeFiles } from '@fleet/bootconfig';
import { createMachineDbClient } from '@fleet/machinedb-client';
import type { NodeDetail } from '@fleet/machinedb-contract';
import { createScratchDatabase, hasService } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../src/config.js';
import { type Running, startServer } from './setup.js';

// Dual stack as the operators run it: a node gets IPv4 and IPv6 transfer nets to both ToRs and a v4 and a
// v6 loopback from IPAM, BGP sessions of both families, and its resolvers and NTP servers from the site's
// anycast service addresses in IPAM, not from its gateway. The rendered files go through the real readers:
// bird -p, netplan generate, debconf-set-selections --checkonly, cloud-init schema and PyYAML.

const TOOLS = ['bird', 'netplan', 'debconf-set-selections', 'cloud-init', 'python3'];
const missing = [
  ...TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0),
  ...(spawnSync('python3', ['-c', 'import yaml']).status === 0 ? [] : ['python3-yaml']),
];
if (missing.length > 0 && process.env.CI) throw new Error(`dual-stack test needs: ${missing.join(', ')}`);

function run(cmd: string, args: string[], input?: string): { code: number; out: string } {
  const result = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 60_000 });
  return { code: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

const inventory = (i: number) => ({
  systemUuid: `4c4c4544-0042-3610-8051-${String(700 + i).padStart(12, '0')}`,
  cpus: [{ model: 'Xeon', cores: 8, threads: 16 }],
  memory: { totalBytes: 64 * 2 ** 30 },
  disks: [{ name: 'nvme0n1', sizeBytes: 960e9, rotational: false, byId: [`/dev/disk/by-id/nvme-DUAL_${i}`] }],
  nics: [
    { name: 'eno1', mac: `3c:ec:ef:07:0${i}:01` },
    { name: 'ens1f0', mac: `3c:ec:ef:07:0${i}:02` },
    { name: 'ens1f1', mac: `3c:ec:ef:07:0${i}:03` },
  ],
});

const SEED_POOLS = {
  bmc: { cidr: '10.21.0.0/22', description: 'BMC addresses', gateways: 1 },
  primary: { cidr: '10.20.0.0/22', description: 'node management addresses', gateways: 1 },
  loopback: { cidr: '10.255.0.0/24', description: 'BGP loopbacks' },
  transfer: { cidr: '10.254.0.0/22', description: 'ToR transfer nets', kind: 'reservation', defaultLengthV4: 31 },
  loopback6: { cidr: '2001:db8:ff::/64', description: 'BGP loopbacks v6' },
  transfer6: {
    cidr: '2001:db8:fe::/56',
    description: 'ToR transfer nets v6',
    kind: 'reservation',
    defaultLengthV6: 127,
  },
  anycast: { cidr: '10.31.0.0/24', description: 'anycast service addresses' },
};

/** A node enrolled, placed and moved on to bmc-configured (boot target: install). */
async function installingNode(s: Running, i: number, role: 'compute' | 'storage'): Promise<NodeDetail> {
  const anonymous = createMachineDbClient({ baseUrl: s.url });
  const enrol = await anonymous.submitInventory(inventory(i));
  await anonymous.close();
  const node = await s.admin.getNode(enrol.nodeId);
  await s.admin.updateNode(
    enrol.nodeId,
    {
      hostname: `${role === 'compute' ? 'cmp' : 'sto'}-070${i}`,
      roles: [role],
      location: { site: 'lab', rack: 'r02' },
      systemDisk: { byId: `/dev/disk/by-id/nvme-DUAL_${i}` },
    },
    { version: node.version },
  );
  const nodeClient = createMachineDbClient({ baseUrl: s.url, token: enrol.token ?? '' });
  await nodeClient.reportNodeEvent(enrol.nodeId, { type: 'bmc-configured' });
  await nodeClient.close();
  const ready = await s.admin.getNode(enrol.nodeId);
  expect(ready.bootTarget).toBe('install');
  return ready;
}

async function bootFiles(s: Running, nodeId: string): Promise<RenderedFile[]> {
  const res = await fetch(`${s.url}/api/v1/nodes/${nodeId}/boot-files`, { headers: { authorization: s.adminAuth } });
  const body = await res.text();
  expect(res.status, body).toBe(200);
  return JSON.parse(body) as RenderedFile[];
}

function fileOf(files: RenderedFile[], path: string): string {
  const file = files.find((f) => f.path === path);
  expect(file, `${path} rendered`).toBeDefined();
  return file?.content ?? '';
}

async function installerFile(s: Running, mac: string, name: string): Promise<string> {
  const res = await fetch(`${s.url}/boot/installer/${mac}/${name}`);
  const body = await res.text();
  expect(res.status, body).toBe(200);
  return body;
}

function yamlOf(text: string): Record<string, unknown> {
  const parsed = run(
    'python3',
    ['-c', 'import yaml,sys,json; print(json.dumps(yaml.safe_load(sys.stdin), default=repr))'],
    text,
  );
  expect(parsed.code, parsed.out).toBe(0);
  return JSON.parse(parsed.out) as Record<string, unknown>;
}

describe.skipIf(missing.length > 0)('dual stack through the server (SQLite IPAM)', () => {
  let s: Running;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fleet-dual-'));
    const config = join(work, 'fleet.json');
    writeFileSync(
      config,
      JSON.stringify({
        ipam: { pools: SEED_POOLS },
        fabricPools: { loopback: 'loopback', transfer: 'transfer', loopbackV6: 'loopback6', transferV6: 'transfer6' },
        nameservers: { pool: 'anycast', function: 'dns' },
        ntpServers: { pool: 'anycast', function: 'ntp' },
      }),
    );
    s = await startServer({ FLEET_CONFIG: config });
    // The site's anycast resolvers and time servers, as an admin records them in IPAM.
    const ipam = s.server.ipam;
    await ipam.addPrefix({ prefix: '2001:db8:31::/64', kind: 'assignment', pool: 'anycast' });
    await ipam.addPrefix({ prefix: '2001:db8:31::53/128', kind: 'host', function: 'dns' });
    await ipam.addPrefix({ prefix: '10.31.0.53/32', kind: 'host', function: 'dns' });
    await ipam.addPrefix({ prefix: '10.31.0.123/32', kind: 'host', function: 'ntp' });
  }, 60_000);
  afterAll(async () => {
    s?.server.app.server.closeAllConnections();
    await s?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('renders v4 and v6 sessions to both ToRs, both loopbacks, anycast resolvers and NTP; real readers pass', async () => {
    const node = await installingNode(s, 1, 'compute');
    // Fabric addresses are drawn when the node's files are first rendered.
    const files = await bootFiles(s, node.id);
    const held = await s.server.ipam.search({ node: node.id });
    const byFunction = new Map(held.map((p) => [p.function, p.prefix]));
    const loopback6 = byFunction.get('loopback6') ?? '';
    expect(loopback6).toMatch(/^2001:db8:ff::[0-9a-f]+\/128$/);
    const nets6 = ['ens1f0', 'ens1f1'].map((nic) => byFunction.get(`transfer6:${nic}`) ?? '');
    for (const net of nets6) expect(net).toMatch(/^2001:db8:fe::[0-9a-f]*\/127$/);
    expect(new Set(nets6).size).toBe(2);

    // bird2: four sessions, the v6 ones from the node's end of each /127 to the switch's.
    const bird = fileOf(files, '/etc/bird/bird.conf');
    writeFileSync(join(work, 'bird.conf'), bird);
    const birdCheck = run('bird', ['-p', '-c', join(work, 'bird.conf')]);
    expect(birdCheck.code, birdCheck.out).toBe(0);
    expect([...bird.matchAll(/^protocol bgp (tor\d_v[46]) /gm)].map((m) => m[1])).toEqual([
      'tor0_v4',
      'tor0_v6',
      'tor1_v4',
      'tor1_v6',
    ]);
    for (const [i, net] of nets6.entries()) {
      const base = net.split('/')[0] ?? '';
      const session = bird.slice(bird.indexOf(`protocol bgp tor${i}_v6`));
      expect(session).toMatch(new RegExp(`neighbor ${base} as \\d+;`));
      expect(session).toMatch(/source address 2001:db8:fe::[0-9a-f]+;/);
    }
    expect(bird).toContain(`define OWN_V6 = [ ${loopback6} ];`);

    // netplan: v6 on both fabric links and the loopback; resolvers are the anycast ones, IPv4 first.
    const netplanText = fileOf(files, '/etc/netplan/60-fleet.yaml');
    const root = join(work, 'netplan');
    mkdirSync(join(root, 'etc/netplan'), { recursive: true });
    writeFileSync(join(root, 'etc/netplan/60-fleet.yaml'), netplanText);
    chmodSync(join(root, 'etc/netplan/60-fleet.yaml'), 0o600);
    const generated = run('netplan', ['generate', '--root-dir', root]);
    expect(generated.code, generated.out).toBe(0);
    const networkd = join(root, 'run/systemd/network');
    expect(readFileSync(join(networkd, '10-netplan-lo.network'), 'utf8')).toContain(`Address=${loopback6}`);
    const fab0 = readFileSync(join(networkd, '10-netplan-ens1f0.network'), 'utf8');
    expect(fab0).toMatch(/Address=2001:db8:fe::[0-9a-f]+\/127/);
    const eno1 = readFileSync(join(networkd, '10-netplan-eno1.network'), 'utf8');
    expect(eno1.match(/^DNS=.*$/gm)).toEqual(['DNS=10.31.0.53', 'DNS=2001:db8:31::53']);
    const gateway = node.addresses.find((a) => a.purpose === 'primary')?.gateway ?? '';
    expect(eno1).not.toContain(`DNS=${gateway}`);

    // Time: chrony and timesyncd name the anycast NTP server.
    expect(fileOf(files, '/etc/chrony/sources.d/fleet.sources')).toContain('server 10.31.0.123 iburst\n');
    expect(fileOf(files, '/etc/systemd/timesyncd.conf.d/60-fleet.conf')).toContain('NTP=10.31.0.123\n');

    // The installer's own file, fetched as the installer does.
    const mac = node.macs[0] ?? '';
    const preseed = await installerFile(s, mac, 'preseed.cfg');
    writeFileSync(join(work, 'preseed.cfg'), preseed);
    const debconf = run('debconf-set-selections', ['--checkonly', join(work, 'preseed.cfg')]);
    expect(debconf.code, debconf.out).toBe(0);
    expect(preseed).toContain('d-i netcfg/get_nameservers string 10.31.0.53 2001:db8:31::53\n');
    expect(preseed).toContain('d-i clock-setup/ntp-server string 10.31.0.123\n');
  }, 120_000);

  it('an Ubuntu node: user-data passes cloud-init schema and PyYAML with the anycast resolvers and NTP', async () => {
    const node = await installingNode(s, 2, 'storage');
    const mac = node.macs[0] ?? '';
    const userData = await installerFile(s, mac, 'user-data');
    writeFileSync(join(work, 'user-data'), userData);
    const schema = run('cloud-init', ['schema', '--config-file', join(work, 'user-data')]);
    expect(schema.code, schema.out).toBe(0);
    const autoinstall = yamlOf(userData).autoinstall as {
      network: { ethernets: Record<string, { nameservers: { addresses: string[] } }> };
      'user-data': { ntp: { enabled: boolean; servers: string[] } };
    };
    expect(autoinstall.network.ethernets.eno1?.nameservers.addresses).toEqual(['10.31.0.53', '2001:db8:31::53']);
    expect(autoinstall['user-data'].ntp).toEqual({ enabled: true, servers: ['10.31.0.123'] });
    const bird = fileOf(await bootFiles(s, node.id), '/etc/bird/bird.conf');
    writeFileSync(join(work, 'bird-2.conf'), bird);
    expect(run('bird', ['-p', '-c', join(work, 'bird-2.conf')]).code).toBe(0);
    expect(bird).toMatch(/protocol bgp tor1_v6 /);
  }, 120_000);

  it('allocations are unique across nodes, stable across re-renders, and released on decommission', async () => {
    const node = await installingNode(s, 3, 'compute');
    const first = await bootFiles(s, node.id);
    const heldBefore = (await s.server.ipam.search({ node: node.id })).map((p) => p.prefix).sort();
    const again = await bootFiles(s, node.id);
    expect(fileOf(again, '/etc/bird/bird.conf')).toBe(fileOf(first, '/etc/bird/bird.conf'));
    expect(fileOf(again, '/etc/netplan/60-fleet.yaml')).toBe(fileOf(first, '/etc/netplan/60-fleet.yaml'));
    expect((await s.server.ipam.search({ node: node.id })).map((p) => p.prefix).sort()).toEqual(heldBefore);
    // primary + bmc from MachineDB, 2 loopbacks, 2 × 2 transfer nets.
    expect(heldBefore).toHaveLength(8);

    // No prefix is held by two nodes.
    const everyFabric = (await s.server.ipam.search({ kind: 'host' }))
      .concat(await s.server.ipam.search({ kind: 'reservation' }))
      .filter((p) => p.node !== null);
    const prefixes = everyFabric.map((p) => p.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);

    await s.admin.transitionNode(node.id, { to: 'decommissioned', reason: 'dual-stack test' });
    expect(await s.server.ipam.search({ node: node.id })).toEqual([]);
    // The freed v6 nets go to the next node.
    const next = await installingNode(s, 4, 'compute');
    const nextHeld = (await s.server.ipam.search({ node: next.id })).map((p) => p.prefix);
    expect(nextHeld.filter((p) => heldBefore.includes(p)).length).toBeGreaterThan(0);
  }, 120_000);

  it('a resolver function IPAM holds no address for: 409 naming the pool and function', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-dual-empty-'));
    try {
      const config = join(dir, 'fleet.json');
      writeFileSync(
        config,
        JSON.stringify({ ipam: { pools: SEED_POOLS }, nameservers: { pool: 'anycast', function: 'dns' } }),
      );
      const empty = await startServer({ FLEET_CONFIG: config });
      try {
        const node = await installingNode(empty, 5, 'compute');
        const res = await fetch(`${empty.url}/boot/installer/${node.macs[0]}/preseed.cfg`);
        const body = (await res.json()) as { code: string; message: string };
        expect(res.status).toBe(409);
        expect(body.code).toBe('BOOT_NODE_NOT_READY');
        expect(body.message).toContain('nameservers: IPAM pool anycast holds no address with function dns');
      } finally {
        empty.server.app.server.closeAllConnections();
        await empty.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.skipIf(missing.length > 0)('a v4-only site (no IPv6 pools, no service addresses configured)', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer();
  }, 60_000);
  afterAll(async () => {
    s?.server.app.server.closeAllConnections();
    await s?.stop();
  }, 60_000);

  it('renders exactly the files the IPv4-only wiring rendered: gateway as resolver, no v6, no NTP files', async () => {
    const node = await installingNode(s, 6, 'compute');
    const files = await bootFiles(s, node.id);
    // Rebuild the node's input the way the server did before dual stack (IPv4 string arithmetic on the
    // /31s, the gateway as the only resolver) from what IPAM holds, and render it with the package.
    const held = new Map((await s.server.ipam.search({ node: node.id })).map((p) => [p.function, p.prefix]));
    expect([...held.keys()].some((f) => f.includes('6'))).toBe(false);
    const primary = node.addresses.find((a) => a.purpose === 'primary');
    const links = ['ens1f0', 'ens1f1'].map((nic) => {
      const [base = '', len] = (held.get(`transfer:${nic}`) ?? '').split('/');
      const parts = base.split('.').map(Number);
      const last = parts[3] ?? 0;
      return {
        interface: nic,
        ipv4: `${parts.slice(0, 3).join('.')}.${last + 1}/${len}`,
        peerIpv4: `${parts.slice(0, 3).join('.')}.${last}`,
      };
    });
    const input: NodeInput = {
      nodeId: node.id,
      hostname: node.hostname ?? '',
      role: 'compute',
      site: 'lab',
      rack: 'r02',
      bootMac: node.macs[0] ?? '',
      firmware: 'uefi',
      bootTarget: 'install',
      systemDisk: '/dev/disk/by-id/nvme-DUAL_6',
      management: {
        interface: 'eno1',
        mac: node.macs[0] ?? '',
        address: `${primary?.address}/${primary?.prefixLength}`,
        gateway: primary?.gateway ?? '',
        nameservers: [primary?.gateway ?? ''],
      },
      fabric: links,
      loopback: { ipv4: (held.get('loopback') ?? '').split('/')[0] ?? '' },
      installToken: 'not-compared-secret-files-only',
    };
    const site = loadServerConfig({ FLEET_PORT: new URL(s.url).port }).site;
    const expected = renderNodeFiles(input, site).filter((f) => !f.secret);
    const served = files.filter((f) => !f.secret);
    expect(served.map((f) => f.path)).toEqual(expected.map((f) => f.path));
    for (const file of expected)
      expect(served.find((f) => f.path === file.path)?.content, file.path).toBe(file.content);
    expect(fileOf(files, '/etc/bird/bird.conf')).not.toMatch(/protocol bgp tor\d_v6|OWN_V6/);
  }, 120_000);
});

describe.skipIf(missing.length > 0 || !hasService('postgres'))('dual stack on PostgreSQL', () => {
  it('allocates, renders (bird -p passes), re-renders the same and releases on decommission', async () => {
    const db = await createScratchDatabase('fleet_dual_stack');
    const dir = mkdtempSync(join(tmpdir(), 'fleet-dual-pg-'));
    const config = join(dir, 'fleet.json');
    writeFileSync(
      config,
      JSON.stringify({
        ipam: { pools: SEED_POOLS },
        fabricPools: { loopback: 'loopback', transfer: 'transfer', loopbackV6: 'loopback6', transferV6: 'transfer6' },
        nameservers: ['10.31.0.53', '2001:db8:31::53'],
        ntpServers: ['10.31.0.123'],
      }),
    );
    const s = await startServer({ FLEET_CONFIG: config, FLEET_DATABASE_URL: db.url, FLEET_SERVER_KEY: 'cd'.repeat(32) });
    try {
      const node = await installingNode(s, 7, 'compute');
      const files = await bootFiles(s, node.id);
      const bird = fileOf(files, '/etc/bird/bird.conf');
      writeFileSync(join(dir, 'bird.conf'), bird);
      const check = run('bird', ['-p', '-c', join(dir, 'bird.conf')]);
      expect(check.code, check.out).toBe(0);
      expect([...bird.matchAll(/^protocol bgp (tor\d_v6) /gm)].map((m) => m[1])).toEqual(['tor0_v6', 'tor1_v6']);
      expect(fileOf(files, '/etc/netplan/60-fleet.yaml')).toMatch(/addresses:\n\s+- "?10\.31\.0\.53"?\n/);
      const held = (await s.server.ipam.search({ node: node.id })).map((p) => p.prefix).sort();
      expect(held).toHaveLength(8);
      expect(fileOf(await bootFiles(s, node.id), '/etc/bird/bird.conf')).toBe(bird);
      expect((await s.server.ipam.search({ node: node.id })).map((p) => p.prefix).sort()).toEqual(held);
      await s.admin.transitionNode(node.id, { to: 'decommissioned', reason: 'dual-stack test' });
      expect(await s.server.ipam.search({ node: node.id })).toEqual([]);
    } finally {
      s.server.app.server.closeAllConnections();
      await s.stop();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
