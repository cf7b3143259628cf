import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BgpSession,
  checkAsnPolicy,
  checkBgpSessions,
  configuredAsnsOf,
  findDuplicateExports,
  findDuplicateRoutes,
  localAsnsOf,
  readBgpSessions,
  readBirdRoutes,
} from '../src/index.js';
import { netnsAvailable } from './netns-available.js';
import { ADDR, buildTopology, startBird, type Topology } from './topology.js';

// a1 (AS65101) is healthy over IPv4; its IPv6 session is dead because tora expects AS65999.
// a2 (AS65102) breaks the ASN policy (which says AS65112) and also exports a1's 198.19.1.1/32.
// Both announce the anycast 198.19.0.53/32, which is allowed.
const A1 = `router id ${ADDR.a1};
protocol device {}
protocol static own4 { ipv4; route 198.19.1.1/32 blackhole; route 198.19.0.53/32 blackhole; }
protocol bgp tor4 { local ${ADDR.a1} as 65101; neighbor ${ADDR.toraA1} as 65100; error wait time 1, 5;
  ipv4 { import all; export all; }; }
protocol bgp tor6 { local ${ADDR.a1v6} as 65101; neighbor ${ADDR.toraA1v6} as 65100; error wait time 1, 5;
  ipv6 { import all; export none; }; }
`;
const A2 = `router id ${ADDR.a2};
protocol device {}
protocol static own4 { ipv4; route 198.19.1.2/32 blackhole; route 198.19.0.53/32 blackhole; }
protocol static dup4 { ipv4; route 198.19.1.1/32 blackhole; }
protocol bgp tor4 { local ${ADDR.a2} as 65102; neighbor ${ADDR.toraA2} as 65100; error wait time 1, 5;
  ipv4 { import none; export all; }; }
`;
const TORA = `router id ${ADDR.toraFab};
protocol device {}
protocol bgp a1v4 { local ${ADDR.toraA1} as 65100; neighbor ${ADDR.a1} as 65101; error wait time 1, 5;
  ipv4 { import all; export none; }; }
protocol bgp a1v6 { local ${ADDR.toraA1v6} as 65100; neighbor ${ADDR.a1v6} as 65999; error wait time 1, 5;
  ipv6 { import all; export none; }; }
protocol bgp a2v4 { local ${ADDR.toraA2} as 65100; neighbor ${ADDR.a2} as 65102; error wait time 1, 5;
  ipv4 { import all; export none; }; }
`;

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!netnsAvailable())('BGP, ASN policy and duplicate announcements with real bird2 sessions', () => {
  let topo: Topology;
  const socket: Record<'a1' | 'a2' | 'tora', string> = { a1: '', a2: '', tora: '' };
  beforeAll(async () => {
    topo = await buildTopology();
    socket.tora = startBird(topo, 'tora', TORA);
    socket.a1 = startBird(topo, 'a1', A1);
    socket.a2 = startBird(topo, 'a2', A2);
    // Wait, bounded, for the exact state every test below reads, on all three speakers: tora has a1v4 up
    // with a1's 2 routes, a2v4 up with a2's 3, and a1v6 refused with "Bad peer AS"; a1's tor4 is up and its
    // tor6 carries the error; a2's tor4 is up. No test reads a session before it got there.
    await until(
      'the BGP sessions to settle (tora a1v4 2 routes, a2v4 3 routes, a1v6 Bad peer AS; a1 tor4 up, tor6 error; a2 tor4 up)',
      async () => {
        const [tora, a1, a2] = await Promise.all(
          (['tora', 'a1', 'a2'] as const).map(async (n) => {
            const sessions = await readBgpSessions(topo.exec(n), socket[n]);
            return Object.fromEntries(sessions.map((s) => [s.name, s])) as Record<string, BgpSession | undefined>;
          }),
        );
        const imported = (s: BgpSession | undefined) => s?.channels[0]?.imported;
        const settled =
          tora?.['a1v4']?.established === true &&
          imported(tora['a1v4']) === 2 &&
          tora['a2v4']?.established === true &&
          imported(tora['a2v4']) === 3 &&
          tora['a1v6']?.established === false &&
          /Bad peer AS/.test(tora['a1v6'].lastError ?? '') &&
          a1?.['tor4']?.established === true &&
          a1['tor6']?.established === false &&
          (a1['tor6'].lastError ?? '') !== '' &&
          a2?.['tor4']?.established === true;
        return settled ? true : undefined;
      },
      60_000,
    );
  }, 90_000);
  afterAll(async () => {
    await topo?.teardown();
  });

  it('parses the ToR sessions: neighbour, ASNs, families, counts, uptime and the last error', async () => {
    const sessions = await readBgpSessions(topo.exec('tora'), socket.tora);
    const byName = Object.fromEntries(sessions.map((s) => [s.name, s])) as Record<string, BgpSession>;
    expect(byName['a1v4']).toMatchObject({
      established: true,
      bgpState: 'Established',
      neighborAddress: ADDR.a1,
      neighborAs: 65101,
      localAs: 65100,
      transport: 4,
      channels: [{ family: 'ipv4', state: 'UP', imported: 2, exported: 0 }],
    });
    expect(byName['a1v4']?.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(byName['a1v4']?.uptimeSeconds).toBeLessThan(120);
    expect(byName['a2v4']?.channels[0]?.imported).toBe(3);
    expect(byName['a1v6']).toMatchObject({ established: false, transport: 6, neighborAs: 65999 });
    expect(byName['a1v6']?.lastError).toMatch(/Bad peer AS/);
  });

  it('fails on the dead IPv6 session and passes where every session is Established', async () => {
    const tor = await checkBgpSessions(topo.exec('tora'), { socket: socket.tora });
    expect(tor).toMatchObject({ status: 'fail', code: 'BGP_SESSION_DOWN', evidence: { down: ['a1v6'] } });
    expect(tor.summary).toMatch(/a1v6 \(fd00:198:18:1::2 AS65999, IPv6\)/);
    const a1 = await checkBgpSessions(topo.exec('a1'), { socket: socket.a1 });
    expect(a1).toMatchObject({ status: 'fail', evidence: { down: ['tor6'] } });
    const healthy = await checkBgpSessions(topo.exec('a2'), { socket: socket.a2 });
    expect(healthy).toMatchObject({ status: 'ok', code: 'OK' });
    const v4only = await checkBgpSessions(topo.exec('tora'), { socket: socket.tora, include: (s) => s.transport === 4 });
    expect(v4only.status).toBe('ok');
  });

  it('checks configured and observed ASNs against the policy', async () => {
    const nodes = await Promise.all(
      (['a1', 'a2'] as const).map(async (name) => ({
        name,
        configuredAsn: configuredAsnsOf(readFileSync(`${topo.dir}/${name}.conf`, 'utf8'))[0],
        observedAsns: localAsnsOf(await readBgpSessions(topo.exec(name), socket[name])),
      })),
    );
    const policy: Record<string, number> = { a1: 65101, a2: 65112 };
    const wrong = checkAsnPolicy(nodes, { expectedAsn: (n) => policy[n.name], unique: true });
    expect(wrong).toMatchObject({ status: 'fail', code: 'ASN_MISMATCH' });
    expect(wrong.evidence.findings.map((f) => [f.node, f.code])).toEqual([
      ['a1', 'OK'],
      ['a2', 'ASN_MISMATCH'],
    ]);
    expect(wrong.summary).toMatch(/a2: configured AS65102, observed AS65102; policy says AS65112/);

    const healthy = checkAsnPolicy(nodes, { expectedAsn: (n) => ({ a1: 65101, a2: 65102 })[n.name], unique: true });
    expect(healthy).toMatchObject({ status: 'ok', code: 'OK' });

    // What the ToR sees is an observation too: its Neighbor AS per peer.
    const seen = await readBgpSessions(topo.exec('tora'), socket.tora);
    const asSeen = (addr: string) => seen.filter((s) => s.neighborAddress === addr && s.established).map((s) => s.neighborAs!);
    const fromTor = checkAsnPolicy([{ name: 'a2', observedAsns: asSeen(ADDR.a2) }], { expectedAsn: () => 65112 });
    expect(fromTor.evidence.findings[0]).toMatchObject({ code: 'ASN_MISMATCH', observed: [65102] });
  });

  it('finds the prefix two hosts announce, allows the anycast, and clears once the duplicate is withdrawn', async () => {
    const sessions = await readBgpSessions(topo.exec('tora'), socket.tora);
    const neighbors = Object.fromEntries(sessions.map((s) => [s.name, s.neighborAddress ?? s.name]));
    const routes = await readBirdRoutes(topo.exec('tora'), { socket: socket.tora });
    expect(routes.filter((r) => r.prefix === '198.19.1.1/32').map((r) => r.originAs).sort()).toEqual([65101, 65102]);
    const dup = findDuplicateRoutes(routes, { neighbors, allowed: [`${ADDR.anycast}/32`], view: 'tora' });
    expect(dup).toMatchObject({
      status: 'fail',
      code: 'DUPLICATE_ANNOUNCEMENT',
      evidence: { duplicates: [{ prefix: '198.19.1.1/32', announcers: [ADDR.a1, ADDR.a2] }] },
    });
    const byOrigin = findDuplicateRoutes(routes, { announcer: 'origin-as' });
    expect(byOrigin.evidence.duplicates.map((d) => d.prefix)).toEqual(['198.19.0.53/32', '198.19.1.1/32']);

    // The same finding from the nodes' own exports.
    const exports = {
      a1: (await readBirdRoutes(topo.exec('a1'), { socket: socket.a1, exportedTo: 'tor4' })).map((r) => r.prefix),
      a2: (await readBirdRoutes(topo.exec('a2'), { socket: socket.a2, exportedTo: 'tor4' })).map((r) => r.prefix),
    };
    expect(exports.a2.sort()).toEqual(['198.19.0.53/32', '198.19.1.1/32', '198.19.1.2/32']);
    const fromNodes = findDuplicateExports(exports, { allowed: [`${ADDR.anycast}/32`] });
    expect(fromNodes.evidence.duplicates).toEqual([{ prefix: '198.19.1.1/32', announcers: ['a1', 'a2'] }]);

    // Fix the fault for real: a2 withdraws the stolen prefix.
    const disable = await topo.exec('a2').run('birdc', ['-s', socket.a2, 'disable', 'dup4']);
    expect(disable.code).toBe(0);
    const clean = await until('the duplicate to be withdrawn', async () => {
      const result = findDuplicateRoutes(await readBirdRoutes(topo.exec('tora'), { socket: socket.tora }), {
        neighbors,
        allowed: [`${ADDR.anycast}/32`],
      });
      return result.status === 'ok' ? result : undefined;
    });
    expect(clean.code).toBe('OK');
  });
});
