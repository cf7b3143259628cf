import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBirdConfig } from '../src/index.js';
import { makeSite, sampleNodes } from './fixture.js';

// The rendered bird.conf runs for real in a network namespace, peering over two veth transfer nets with
// a stand-in ToR bird in another namespace. The ToR must learn exactly the node's own loopback and
// service prefixes over both links — not 127.0.0.0/8, not an unrelated address that happens to be on lo.

const canRun =
  process.getuid?.() === 0 &&
  spawnSync('sh', ['-c', 'command -v bird && command -v birdc && ip netns list']).status === 0;
if (!canRun && process.env.CI) throw new Error('bird2 and root (for network namespaces) are needed');

function sh(args: string[]): string {
  const result = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', timeout: 15_000 });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

describe.skipIf(!canRun)('bird2 config in a network namespace', () => {
  // A random tag, not the pid: a namespace file left behind by a killed run must never collide.
  const id = randomBytes(3).toString('hex');
  const nodeNs = `bcn${id}`;
  const torNs = `bct${id}`;
  const birds: ChildProcess[] = [];
  let dir: string;
  const { node } = sampleNodes()[2]!; // lb-0102: loopback, IPv6 and service prefixes, two links

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bootconfig-bird-'));
    sh(['ip', 'netns', 'add', nodeNs]);
    sh(['ip', 'netns', 'add', torNs]);
    for (const ns of [nodeNs, torNs]) sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    node.fabric.forEach((link, i) => {
      sh(['ip', 'link', 'add', `bcn${id}f${i}`, 'netns', nodeNs, 'type', 'veth', 'peer', 'name', `bct${id}f${i}`, 'netns', torNs]);
      sh(['ip', '-n', nodeNs, 'addr', 'add', link.ipv4, 'dev', `bcn${id}f${i}`]);
      sh(['ip', '-n', nodeNs, 'addr', 'add', link.ipv6!, 'dev', `bcn${id}f${i}`, 'nodad']);
      sh(['ip', '-n', torNs, 'addr', 'add', `${link.peerIpv4}/31`, 'dev', `bct${id}f${i}`]);
      sh(['ip', '-n', torNs, 'addr', 'add', `${link.peerIpv6}/127`, 'dev', `bct${id}f${i}`, 'nodad']);
      sh(['ip', '-n', nodeNs, 'link', 'set', `bcn${id}f${i}`, 'up']);
      sh(['ip', '-n', torNs, 'link', 'set', `bct${id}f${i}`, 'up']);
    });
    // What netplan would put on lo, plus one address that is not the node's to announce.
    for (const address of [`${node.loopback.ipv4}/32`, `${node.loopback.ipv6}/128`, ...(node.serviceAddresses ?? []), '198.19.99.99/32']) {
      sh(['ip', '-n', nodeNs, 'addr', 'add', address, 'dev', 'lo']);
    }

    const site = makeSite();
    const torAsn = 4_200_002_001;
    writeFileSync(join(dir, 'node.conf'), renderBirdConfig(node, site));
    const sessions = node.fabric
      .map(
        (link, i) => `protocol bgp n${i}_v4 from node { neighbor ${link.ipv4.split('/')[0]} as 65001; source address ${link.peerIpv4}; ipv4 { import all; export none; }; }
protocol bgp n${i}_v6 from node { neighbor ${link.ipv6!.split('/')[0]} as 65001; source address ${link.peerIpv6}; ipv6 { import all; export none; }; }`,
      )
      .join('\n');
    writeFileSync(
      join(dir, 'tor.conf'),
      `router id 198.18.100.0;
protocol device { }
template bgp node { local as ${torAsn}; hold time 9; keepalive time 3; connect retry time 2; error wait time 1, 5; }
${sessions}
`,
    );
    for (const [ns, name] of [
      [nodeNs, 'node'],
      [torNs, 'tor'],
    ] as const) {
      const child = spawn('ip', ['netns', 'exec', ns, 'bird', '-f', '-c', join(dir, `${name}.conf`), '-s', join(dir, `${name}.sock`), '-P', join(dir, `${name}.pid`)], {
        stdio: 'ignore',
      });
      birds.push(child);
    }
  });

  afterAll(() => {
    for (const child of birds) child.kill('SIGTERM');
    for (const ns of [nodeNs, torNs]) spawnSync('ip', ['netns', 'del', ns], { timeout: 15_000 });
    rmSync(dir, { recursive: true, force: true });
  });

  const birdc = (args: string[]): string =>
    spawnSync('birdc', ['-s', join(dir, 'tor.sock'), ...args], { encoding: 'utf8', timeout: 5_000 }).stdout ?? '';

  it('establishes all four sessions (two ToR links, IPv4 and IPv6) and exports only own prefixes', async () => {
    const deadline = Date.now() + 40_000;
    let protocols = '';
    while (Date.now() < deadline) {
      protocols = birdc(['show', 'protocols']);
      if ((protocols.match(/Established/g) ?? []).length === 4) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect((protocols.match(/Established/g) ?? []).length, protocols).toBe(4);

    const learned = (protocol: string): string[] => {
      // Routes arrive right after the session is up; give the update a moment.
      const text = birdc(['show', 'route', 'protocol', protocol]);
      return [...text.matchAll(/^(\S+\/\d+)\s/gm)].map((m) => m[1]!).sort();
    };
    const deadlineRoutes = Date.now() + 10_000;
    while (Date.now() < deadlineRoutes && learned('n1_v6').length < 2) await new Promise((r) => setTimeout(r, 300));

    for (const i of [0, 1]) {
      expect(learned(`n${i}_v4`)).toEqual(['198.19.1.15/32', '198.19.250.0/24']);
      expect(learned(`n${i}_v6`)).toEqual(['2001:db8:250::/48', '2001:db8:ff::15/128']);
    }
  }, 60_000);
});
