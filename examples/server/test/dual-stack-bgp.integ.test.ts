import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderedFile } from '@fleet/bootconfig';
import { createMachineDbClient } from '@fleet/machinedb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer } from './setup.js';

// The bird.conf the server renders for a dual-stack node runs for real in a network namespace, with the
// addresses IPAM gave the node on two veth transfer nets, against a stand-in ToR bird in another
// namespace: all four sessions (two links × IPv4/IPv6) come up, and the ToR learns exactly the node's
// two loopbacks. Addresses come from 198.18.0.0/15 and 2001:db8::/32, inside the namespaces only.

const canRun =
  process.getuid?.() === 0 &&
  spawnSync('sh', ['-c', 'command -v bird && command -v birdc && ip netns list']).status === 0;
if (!canRun && process.env.CI) throw new Error('bird2 and root (for network namespaces) are needed');

function sh(args: string[]): string {
  const result = spawnSync(args[0] ?? '', args.slice(1), { encoding: 'utf8', timeout: 15_000 });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

describe.skipIf(!canRun)('a dual-stack node rendered by the server peers with both ToRs over v4 and v6', () => {
  // A random tag, not the pid: a namespace file left behind by a killed run must never collide.
  const id = randomBytes(3).toString('hex');
  const nodeNs = `dualn${id}`;
  const torNs = `dualt${id}`;
  const birds: ChildProcess[] = [];
  let dir: string;
  let s: Running;
  let loopbacks: { v4: string; v6: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-dual-bgp-'));
    const config = join(dir, 'fleet.json');
    writeFileSync(
      config,
      JSON.stringify({
        ipam: {
          pools: {
            bmc: { cidr: '198.18.21.0/24', description: 'BMC', gateways: 1 },
            primary: { cidr: '198.18.20.0/24', description: 'management', gateways: 1 },
            loopback: { cidr: '198.19.0.0/24', description: 'loopbacks' },
            transfer: { cidr: '198.18.254.0/24', description: 'transfer', kind: 'reservation', defaultLengthV4: 31 },
            loopback6: { cidr: '2001:db8:ff::/64', description: 'loopbacks v6' },
            transfer6: { cidr: '2001:db8:fe::/56', description: 'transfer v6', kind: 'reservation' },
          },
        },
        fabricPools: { loopback: 'loopback', transfer: 'transfer', loopbackV6: 'loopback6', transferV6: 'transfer6' },
        nameservers: ['198.19.250.53'],
      }),
    );
    s = await startServer({ FLEET_CONFIG: config });
    const anonymous = createMachineDbClient({ baseUrl: s.url });
    const enrol = await anonymous.submitInventory({
      systemUuid: '4c4c4544-0042-3610-8051-000000000799',
      cpus: [{ model: 'Xeon', cores: 8, threads: 16 }],
      memory: { totalBytes: 64 * 2 ** 30 },
      disks: [{ name: 'nvme0n1', sizeBytes: 960e9, rotational: false, byId: ['/dev/disk/by-id/nvme-DUALBGP'] }],
      nics: [
        { name: 'eno1', mac: '3c:ec:ef:07:99:01' },
        { name: 'ens1f0', mac: '3c:ec:ef:07:99:02' },
        { name: 'ens1f1', mac: '3c:ec:ef:07:99:03' },
      ],
    });
    await anonymous.close();
    const node = await s.admin.getNode(enrol.nodeId);
    await s.admin.updateNode(
      enrol.nodeId,
      {
        hostname: 'cmp-0799',
        roles: ['compute'],
        location: { site: 'lab', rack: 'r03' },
        systemDisk: { byId: '/dev/disk/by-id/nvme-DUALBGP' },
      },
      { version: node.version },
    );
    // bmc-configured: the boot target is install, so the node's own files are rendered.
    const nodeClient = createMachineDbClient({ baseUrl: s.url, token: enrol.token ?? '' });
    await nodeClient.reportNodeEvent(enrol.nodeId, { type: 'bmc-configured' });
    await nodeClient.close();
    const res = await fetch(`${s.url}/api/v1/nodes/${enrol.nodeId}/boot-files`, {
      headers: { authorization: s.adminAuth },
    });
    const files = (await res.json()) as RenderedFile[];
    const bird = files.find((f) => f.path === '/etc/bird/bird.conf')?.content ?? '';
    writeFileSync(join(dir, 'node.conf'), bird);

    // The node's addresses as IPAM holds them (what netplan puts on the links and lo).
    const held = new Map((await s.server.ipam.search({ node: enrol.nodeId })).map((p) => [p.function, p.prefix]));
    loopbacks = { v4: held.get('loopback') ?? '', v6: held.get('loopback6') ?? '' };
    const nodeAsn = /local as (\d+);/.exec(bird)?.[1] ?? '';
    const torAsn = /neighbor \S+ as (\d+);/.exec(bird)?.[1] ?? '';
    sh(['ip', 'netns', 'add', nodeNs]);
    sh(['ip', 'netns', 'add', torNs]);
    for (const ns of [nodeNs, torNs]) sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    const sessions: string[] = [];
    for (const [i, nic] of ['ens1f0', 'ens1f1'].entries()) {
      const [net4 = '', len4 = ''] = (held.get(`transfer:${nic}`) ?? '').split('/');
      const [net6 = '', len6 = ''] = (held.get(`transfer6:${nic}`) ?? '').split('/');
      expect([len4, len6]).toEqual(['31', '127']);
      // The node takes the upper end of each transfer net, as the rendered bird.conf says.
      const node4 = /source address (\S+);/.exec(bird.slice(bird.indexOf(`protocol bgp tor${i}_v4`)))?.[1] ?? '';
      const node6 = /source address (\S+);/.exec(bird.slice(bird.indexOf(`protocol bgp tor${i}_v6`)))?.[1] ?? '';
      const [n, t] = [`dualn${id}f${i}`, `dualt${id}f${i}`];
      sh(['ip', 'link', 'add', n, 'netns', nodeNs, 'type', 'veth', 'peer', 'name', t, 'netns', torNs]);
      sh(['ip', '-n', nodeNs, 'addr', 'add', `${node4}/31`, 'dev', n]);
      sh(['ip', '-n', nodeNs, 'addr', 'add', `${node6}/127`, 'dev', n, 'nodad']);
      sh(['ip', '-n', torNs, 'addr', 'add', `${net4}/31`, 'dev', t]);
      sh(['ip', '-n', torNs, 'addr', 'add', `${net6}/127`, 'dev', t, 'nodad']);
      sh(['ip', '-n', nodeNs, 'link', 'set', n, 'up']);
      sh(['ip', '-n', torNs, 'link', 'set', t, 'up']);
      sessions.push(
        `protocol bgp n${i}_v4 from node { neighbor ${node4} as ${nodeAsn}; source address ${net4}; ipv4 { import all; export none; }; }`,
        `protocol bgp n${i}_v6 from node { neighbor ${node6} as ${nodeAsn}; source address ${net6}; ipv6 { import all; export none; }; }`,
      );
    }
    // What netplan puts on lo, plus one address that is not the node's to announce.
    for (const address of [loopbacks.v4, loopbacks.v6, '198.19.99.99/32']) {
      sh(['ip', '-n', nodeNs, 'addr', 'add', address, 'dev', 'lo']);
    }
    writeFileSync(
      join(dir, 'tor.conf'),
      `router id 198.18.254.0;
protocol device { }
template bgp node { local as ${torAsn}; hold time 9; keepalive time 3; connect retry time 2; error wait time 1, 5; }
${sessions.join('\n')}
`,
    );
    for (const [ns, name] of [
      [nodeNs, 'node'],
      [torNs, 'tor'],
    ] as const) {
      const args = ['netns', 'exec', ns, 'bird', '-f', '-c', join(dir, `${name}.conf`), '-s', join(dir, `${name}.sock`)];
      birds.push(spawn('ip', args, { stdio: 'ignore' }));
    }
  }, 90_000);

  afterAll(async () => {
    for (const child of birds) child.kill('SIGTERM');
    for (const ns of [nodeNs, torNs]) spawnSync('ip', ['netns', 'del', ns], { timeout: 15_000 });
    s?.server.app.server.closeAllConnections();
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const birdc = (args: string[]): string =>
    spawnSync('birdc', ['-s', join(dir, 'tor.sock'), ...args], { encoding: 'utf8', timeout: 5_000 }).stdout ?? '';

  it('all four sessions reach Established and the ToR learns only the node loopbacks', async () => {
    const deadline = Date.now() + 60_000;
    let protocols = '';
    while (Date.now() < deadline) {
      protocols = birdc(['show', 'protocols']);
      if ((protocols.match(/Established/g) ?? []).length === 4) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect((protocols.match(/Established/g) ?? []).length, protocols).toBe(4);
    const learned = (protocol: string): string[] =>
      [...birdc(['show', 'route', 'protocol', protocol]).matchAll(/^(\S+\/\d+)\s/gm)].map((m) => m[1] ?? '').sort();
    const routesDeadline = Date.now() + 20_000;
    while (Date.now() < routesDeadline && (learned('n0_v6').length < 1 || learned('n1_v6').length < 1)) {
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    for (const i of [0, 1]) {
      expect(learned(`n${i}_v4`)).toEqual([loopbacks.v4]);
      expect(learned(`n${i}_v6`)).toEqual([loopbacks.v6]);
    }
  }, 90_000);
});
