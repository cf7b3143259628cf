import { createScriptedExecutor } from '@fleet/exec';
import { describe, expect, it } from 'vitest';
import {
  type BirdRoute,
  type CheckResult,
  type FleetNode,
  checkAsnPolicy,
  configuredAsnsOf,
  createNetnsExecutor,
  exitCodeFor,
  findDuplicateExports,
  findDuplicateRoutes,
  mapBounded,
  rackPairMatrix,
  renderFleetTable,
  runFleet,
  validateNamespaceName,
  validateAddress,
  validatePrefix,
  worstStatus,
} from '../src/index.js';

describe('checkAsnPolicy', () => {
  const policy = (n: { name: string }) => ({ a: 65001, b: 65002, c: 65003 })[n.name];

  it('passes matching nodes and names the mismatching one with both sources', () => {
    const result = checkAsnPolicy(
      [
        { name: 'a', configuredAsn: 65001, observedAsns: [65001] },
        { name: 'b', configuredAsn: 65002, observedAsns: [65099] },
      ],
      { expectedAsn: policy },
    );
    expect(result).toMatchObject({ status: 'fail', code: 'ASN_MISMATCH' });
    expect(result.summary).toBe('b: observed AS65099; policy says AS65002');
  });

  it('warns without a policy or an observation, and fails shared ASNs only when unique', () => {
    const nodes = [
      { name: 'a', configuredAsn: 65001 },
      { name: 'z', configuredAsn: 65001 },
      { name: 'c' },
    ];
    const perRack = checkAsnPolicy(nodes, { expectedAsn: (n) => (n.name === 'z' ? 65001 : policy(n)) });
    expect(perRack.evidence.findings.map((f) => f.code)).toEqual(['OK', 'OK', 'ASN_NOT_OBSERVED']);
    expect(perRack.status).toBe('warn');
    const unique = checkAsnPolicy(nodes, { expectedAsn: (n) => (n.name === 'z' ? 65001 : policy(n)), unique: true });
    expect(unique).toMatchObject({ status: 'fail', code: 'ASN_DUPLICATE' });
    expect(checkAsnPolicy([{ name: 'q', configuredAsn: 1 }], { expectedAsn: () => undefined }).code).toBe('ASN_NO_POLICY');
    const one = checkAsnPolicy([{ name: 'a', configuredAsn: 65001 }], { expectedAsn: policy });
    expect(one).toMatchObject({ target: '1 node', summary: '1 node matches the ASN policy' });
    const two = checkAsnPolicy(
      [
        { name: 'a', configuredAsn: 65001 },
        { name: 'b', configuredAsn: 65002 },
      ],
      { expectedAsn: policy },
    );
    expect(two).toMatchObject({ target: '2 nodes', summary: '2 nodes match the ASN policy' });
  });

  it('reads local ASNs from a bird.conf, inline or on their own line', () => {
    const config = 'protocol bgp x { local 198.18.1.2 as 65101; neighbor 198.18.1.1 as 65100; }\nprotocol bgp y {\n  local as 65101;\n  neighbor fd00::1 as 65100;\n}\n';
    expect(configuredAsnsOf(config)).toEqual([65101]);
  });
});

describe('duplicate announcements', () => {
  const route = (prefix: string, protocol: string, originAs?: number): BirdRoute => ({
    prefix, table: 'master4', protocol, from: undefined, primary: true, nextHop: undefined,
    asPath: originAs === undefined ? [] : [originAs], originAs, kind: 'unicast',
  });

  it('groups by prefix and announcer, honouring the anycast allow-list', () => {
    const routes = [route('198.19.1.1/32', 'p1', 65001), route('198.19.1.1/32', 'p2', 65002), route('198.19.0.53/32', 'p1', 65001), route('198.19.0.53/32', 'p2', 65002), route('198.19.9.0/24', 'static1')];
    const result = findDuplicateRoutes(routes, { neighbors: { p1: '198.18.1.2', p2: '198.18.2.2' }, allowed: ['198.19.0.53/32'] });
    expect(result.evidence.duplicates).toEqual([{ prefix: '198.19.1.1/32', announcers: ['198.18.1.2', '198.18.2.2'] }]);
    expect(result.evidence.prefixes).toBe(2); // the static route is not an announcement
  });

  it('collapses one host seen over two sessions when grouped by origin AS', () => {
    const routes = [route('198.19.1.1/32', 'tor1', 65001), route('198.19.1.1/32', 'tor2', 65001)];
    expect(findDuplicateRoutes(routes).status).toBe('fail');
    expect(findDuplicateRoutes(routes, { announcer: 'origin-as' }).status).toBe('ok');
  });

  it('finds duplicates in collected node exports and canonicalises prefixes', () => {
    expect(findDuplicateExports({ n1: ['198.19.1.1'], n2: ['198.19.1.1/32'], n3: ['198.19.1.3/32'] }).evidence.duplicates).toEqual([
      { prefix: '198.19.1.1/32', announcers: ['n1', 'n2'] },
    ]);
    expect(findDuplicateExports({ n1: ['fd00:198:18::/48'] }).status).toBe('ok');
    expect(() => validatePrefix('198.19.1.1/33')).toThrow(/prefix length/);
    expect(() => validatePrefix('not-a-prefix')).toThrow(/not a prefix/);
  });

  it('takes address literals only: dotted quads and IPv6, never names, shorthand or octal IPv4', () => {
    for (const address of ['198.18.0.1', '0.0.0.0', '::1', 'FD00:198:18::1', 'fe80::1%eth0', '::ffff:198.18.0.1']) {
      expect(validateAddress(address)).toBe(address);
    }
    for (const address of ['198.18.1', '010.0.0.1', '0x7f.0.0.1', '198.18.0.256', '1::2::3', 'fe80::1%e$x', 'dns.example', '']) {
      expect(() => validateAddress(address, 'server'), address).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
    expect(validatePrefix('FD00:198:18::/48')).toBe('fd00:198:18::/48');
    expect(validatePrefix('198.19.1.1')).toBe('198.19.1.1/32');
    expect(() => validatePrefix('198.19.1/24')).toThrow(/not a prefix/);
    expect(() => validatePrefix('fd00::/129')).toThrow(/outside 0-128/);
  });
});

describe('netns executor', () => {
  it('prefixes ip netns exec and refuses unsafe namespace names', async () => {
    const inner = createScriptedExecutor([{ command: 'ip', args: ['netns', 'exec', 'fnc1a1', 'ping', '-c', '1', '198.18.1.1'] }]);
    const exec = createNetnsExecutor('fnc1a1', inner);
    expect(exec.target).toBe('scripted/netns:fnc1a1');
    expect((await exec.run('ping', ['-c', '1', '198.18.1.1'])).code).toBe(0);
    for (const bad of ['../x', 'a/b', '-n', 'a b', '', 'x'.repeat(70)]) {
      expect(() => validateNamespaceName(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });
});

describe('fleet mode', () => {
  const result = (status: 'ok' | 'warn' | 'fail', code = 'OK'): CheckResult => ({
    check: 'fake', target: 't', status, code, summary: code, evidence: {}, durationMs: 0,
  });
  const node = (name: string, rack: string): FleetNode => ({ name, rack, address: '198.18.0.1', executor: createScriptedExecutor([]) });

  it('never runs more than the bound at once and keeps input order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 4, 2, 3, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n * 2));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 60, 70]);
    expect(peak).toBe(3);
  });

  it('pairs one node per rack with one in every other rack, both ways', () => {
    const pairs = rackPairMatrix([node('a1', 'A'), node('a2', 'A'), node('b1', 'B'), node('c1', 'C')]);
    expect(pairs.map(([x, y]) => `${x.name}>${y.name}`)).toEqual(['a1>b1', 'a1>c1', 'b1>a1', 'b1>c1', 'c1>a1', 'c1>b1']);
  });

  it('collects rows, turns throws into CHECK_ERROR and maps the worst status to an exit code', async () => {
    const report = await runFleet({
      nodes: [node('a1', 'A'), node('b1', 'B')],
      nodeChecks: [async (n) => (n.name === 'b1' ? Promise.reject(new Error('ssh: handshake failed')) : result('ok'))],
      pairChecks: [async () => [result('warn', 'PATH_MTU_LOWER')]],
      pairs: [['a1', 'b1']],
    });
    expect(report.counts).toEqual({ ok: 1, warn: 1, fail: 1 });
    expect(report).toMatchObject({ status: 'fail', exitCode: 2 });
    expect(report.rows.find((r) => r.node === 'b1')?.result).toMatchObject({ code: 'CHECK_ERROR', summary: 'ssh: handshake failed' });
    const table = renderFleetTable(report).split('\n');
    expect(table[1]).toMatch(/^FAIL\s+b1\s+-\s+/);
    expect(table.at(-1)).toMatch(/^FAIL: 1 ok, 1 warn, 1 fail in \d+ ms$/);
    await expect(runFleet({ nodes: [node('a1', 'A')], pairs: [['a1', 'zz']], pairChecks: [async () => result('ok')] })).rejects.toThrow(/zz/);
  });

  it('ranks statuses', () => {
    expect(worstStatus(['ok', 'warn', 'ok'])).toBe('warn');
    expect(worstStatus([])).toBe('ok');
    expect([exitCodeFor('ok'), exitCodeFor('warn'), exitCodeFor('fail')]).toEqual([0, 1, 2]);
  });
});
