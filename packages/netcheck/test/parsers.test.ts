import { readFileSync } from 'node:fs';
import { createScriptedExecutor } from '@fleet/exec';
import { describe, expect, it } from 'vitest';
import {
  checkThroughput,
  evaluateBgpSessions,
  parseBirdProtocols,
  parseBirdRoutes,
  parseIperf3,
  readBgpSessions,
  readBirdRoutes,
  resolveThroughputOptions,
} from '../src/index.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseBirdProtocols (real birdc output)', () => {
  const now = new Date();
  now.setHours(14, 20, 0, 0);

  it('types every BGP session and skips other protocols', () => {
    const sessions = parseBirdProtocols(fixture('bird-protocols-all.txt'), now);
    expect(sessions.map((s) => s.name)).toEqual(['a1v4', 'a1v6']);
    expect(sessions[0]).toMatchObject({
      protocolState: 'up', bgpState: 'Established', established: true, since: '14:16:17.906',
      neighborAddress: '198.18.1.2', neighborAs: 65101, localAs: 65100, neighborId: '198.18.1.2', transport: 4,
      channels: [{ family: 'ipv4', state: 'UP', table: 'master4', imported: 2, exported: 0, preferred: 2 }],
    });
    expect(sessions[0]?.uptimeSeconds).toBe(222);
    expect(sessions[1]).toMatchObject({
      protocolState: 'start', bgpState: 'Active', established: false, transport: 6, neighborAs: 65999,
      lastError: 'BGP Error: Bad peer AS', channels: [{ family: 'ipv6', state: 'DOWN', imported: undefined }],
    });
  });

  it('reads ISO dates in the Since column', () => {
    const at = new Date('2026-11-25T14:28:09');
    const [session] = parseBirdProtocols(fixture('bird-protocols-iso-time.txt'), at);
    expect(session).toMatchObject({ name: 'a2v4', since: '2026-11-25 14:27:59', uptimeSeconds: 10, established: true });
  });

  it('evaluates sessions: down ones fail with neighbour, AS, family and error; young ones warn', () => {
    const sessions = parseBirdProtocols(fixture('bird-protocols-all.txt'), now);
    const down = evaluateBgpSessions(sessions);
    expect(down).toMatchObject({ status: 'fail', code: 'BGP_SESSION_DOWN', evidence: { down: ['a1v6'] } });
    expect(down.summary).toContain('a1v6 (fd00:198:18:1::2 AS65999, IPv6) Active: BGP Error: Bad peer AS');
    const young = evaluateBgpSessions(sessions, { include: (s) => s.transport === 4, minUptimeSeconds: 600 });
    expect(young).toMatchObject({ status: 'warn', code: 'BGP_RECENT_FLAP' });
    expect(evaluateBgpSessions(sessions, { include: (s) => s.transport === 4 })).toMatchObject({ status: 'ok' });
    expect(evaluateBgpSessions([])).toMatchObject({ status: 'fail', code: 'BGP_NO_SESSIONS' });
  });

  it('counts sessions and routes in the right number ("1 session", "2 sessions")', () => {
    const sessions = parseBirdProtocols(fixture('bird-protocols-all.txt'), now);
    const a1v4 = sessions.find((s) => s.name === 'a1v4');
    if (!a1v4) throw new Error('fixture has no a1v4');
    expect(evaluateBgpSessions([a1v4]).summary).toBe('1 session Established, 2 routes imported');
    const oneRoute = { ...a1v4, channels: a1v4.channels.map((c) => ({ ...c, imported: 1 })) };
    expect(evaluateBgpSessions([oneRoute]).summary).toBe('1 session Established, 1 route imported');
    expect(evaluateBgpSessions([a1v4, { ...a1v4, name: 'a1v4b' }]).summary).toBe('2 sessions Established, 4 routes imported');
    expect(evaluateBgpSessions(sessions.filter((s) => s.name === 'a1v6')).summary).toMatch(/^1 of 1 session not Established: a1v6 /);
  });
});

describe('parseBirdRoutes (real birdc output)', () => {
  it('reads prefix, protocol, next hop, AS path and origin, including alternative routes', () => {
    const routes = parseBirdRoutes(fixture('bird-route-all-multipath.txt'));
    expect(routes).toEqual([
      expect.objectContaining({ prefix: '198.19.1.1/32', protocol: 'a1v4', primary: true, nextHop: '198.18.1.2', asPath: [65101], originAs: 65101, table: 'master4' }),
      expect.objectContaining({ prefix: '198.19.1.1/32', protocol: 'a2v4', primary: false, nextHop: '198.18.2.2', asPath: [65102], originAs: 65102 }),
    ]);
  });

  it('reads local routes without an AS path', () => {
    const routes = parseBirdRoutes('Table master4:\n198.19.1.1/32        blackhole [st4 14:16:13.895] * (200)\n');
    expect(routes).toEqual([expect.objectContaining({ prefix: '198.19.1.1/32', kind: 'blackhole', protocol: 'st4', originAs: undefined })]);
    expect(parseBirdRoutes('198.19.2.0/24 unicast [ibgp 2026-11-25 10:00:00 from 198.18.9.1] * (100/10) [AS65200i]\n')[0]).toMatchObject({
      protocol: 'ibgp', from: '198.18.9.1', originAs: 65200,
    });
  });

  it('runs birdc with a validated socket and protocol name', async () => {
    const exec = createScriptedExecutor([
      { command: 'birdc', args: ['-s', '/run/bird/bird.ctl', 'show', 'protocols', 'all'], stdout: fixture('bird-protocols-all.txt') },
      { command: 'birdc', args: ['show', 'route', 'export', 'tor4', 'all'], stdout: fixture('bird-route-all.txt') },
      { command: 'birdc', stdout: 'Unable to connect to server control socket (/run/bird/bird.ctl): No such file or directory' },
    ]);
    expect(await readBgpSessions(exec, '/run/bird/bird.ctl')).toHaveLength(2);
    expect(await readBirdRoutes(exec, { exportedTo: 'tor4' })).toHaveLength(2);
    await expect(readBgpSessions(exec)).rejects.toMatchObject({ code: 'NETCHECK_TOOL_FAILED' });
    await expect(readBgpSessions(exec, '/tmp/../etc/x')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(readBirdRoutes(exec, { exportedTo: 'tor4 all; down' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('iperf3', () => {
  it('parses Gbit/s and retransmits from real -J output', () => {
    const summary = parseIperf3(fixture('iperf3-client.json'));
    expect(summary.sentGbps).toBeCloseTo(9.5827, 3);
    expect(summary.receivedGbps).toBeCloseTo(9.5337, 3);
    expect(summary).toMatchObject({ retransmits: 11, streams: 1, bytes: 1191968768 });
  });

  it('turns the JSON error member into NETCHECK_TOOL_FAILED', () => {
    expect(() => parseIperf3(fixture('iperf3-refused.json'))).toThrow(/iperf3 reported: unable to connect to server: Connection refused/);
    expect(() => parseIperf3('not json')).toThrow(expect.objectContaining({ code: 'NETCHECK_PARSE_FAILED' }));
  });

  it('grades against the floor and the retransmit limit', async () => {
    const run = (options: Parameters<typeof checkThroughput>[2]) =>
      checkThroughput(createScriptedExecutor([{ command: 'iperf3', stdout: fixture('iperf3-client.json') }]), '198.18.5.2', options);
    expect(await run({ floorGbps: 5 })).toMatchObject({ status: 'ok', code: 'OK', summary: '9.53 Gbit/s, 11 retransmits' });
    expect(await run({ floorGbps: 40 })).toMatchObject({ status: 'fail', code: 'THROUGHPUT_LOW' });
    expect(await run({ floorGbps: 1, maxRetransmits: 5 })).toMatchObject({ status: 'warn', code: 'RETRANSMITS_HIGH' });
    expect(() => resolveThroughputOptions({ floorGbps: -1 })).toThrow(/floorGbps/);
    expect(() => resolveThroughputOptions({ streams: 0 })).toThrow(/streams/);
  });
});
