import { createScriptedExecutor } from '@fleet/exec';
import { describe, expect, it } from 'vitest';
import {
  type ProbeOutcome,
  type Prober,
  checkPathMtu,
  parsePingProbe,
  parseTracepath,
  resolvePathMtuOptions,
  searchPathMtu,
} from '../src/index.js';

/** A path whose MTU is `pathMtu`; its router reports "frag needed" unless the path is a black hole. */
function simulatedPath(pathMtu: number, blackhole: boolean): Prober {
  let learned: number | undefined;
  return async (size): Promise<ProbeOutcome> => {
    if (learned !== undefined && size > learned) return { kind: 'local-too-big', mtu: learned };
    if (size <= pathMtu) return { kind: 'reply' };
    if (blackhole) return { kind: 'timeout' };
    learned = pathMtu;
    return { kind: 'frag-needed', mtu: pathMtu, from: '198.18.3.1' };
  };
}

describe('searchPathMtu', () => {
  it('asks the smallest size first, then the largest: two probes on a clean path', async () => {
    const search = await searchPathMtu(simulatedPath(9000, false), 576, 9000, { start: 1280 });
    expect(search).toMatchObject({ pathMtu: 9000, dropsAt: undefined });
    expect(search.probes.map((p) => p.size)).toEqual([576, 9000]);
  });

  it('follows the MTU named by "fragmentation needed": three probes', async () => {
    const search = await searchPathMtu(simulatedPath(1500, false), 576, 9000, { start: 1280 });
    expect(search).toMatchObject({ pathMtu: 1500, dropsAt: 1501, hop: '198.18.3.1', fragNeededMtu: 1500 });
    expect(search.probes.map((p) => p.size)).toEqual([576, 9000, 1500]);
  });

  it('finds every black-holed MTU between 1280 and 9216 exactly, in at most 17 probes', async () => {
    for (let mtu = 1280; mtu <= 9216; mtu += 97) {
      const search = await searchPathMtu(simulatedPath(mtu, true), 576, 9216, { start: 1280 });
      expect(search.pathMtu).toBe(mtu);
      expect(search.dropsAt).toBe(mtu === 9216 ? undefined : mtu + 1);
      expect(search.firstFailure?.outcome.kind).toBe(mtu === 9216 ? undefined : 'timeout');
      expect(search.probes.length).toBeLessThanOrEqual(mtu === 9216 ? 2 : 17);
      if (mtu !== 9216) expect(search.probes.at(-1)?.size).toBe(mtu + 1); // the re-ask
    }
  });

  it('does not call a path silent when the re-ask gets the rate-limited "fragmentation needed"', async () => {
    // Every ICMP error is eaten by the rate limit except when the same size is asked twice.
    const asked = new Set<number>();
    const rateLimited: Prober = async (size) => {
      if (size <= 1500) return { kind: 'reply' };
      if (asked.has(size)) return { kind: 'frag-needed', mtu: 1500, from: '198.18.3.1' };
      asked.add(size);
      return { kind: 'timeout' };
    };
    const search = await searchPathMtu(rateLimited, 1280, 9000);
    expect(search).toMatchObject({ pathMtu: 1500, hop: '198.18.3.1', firstFailure: { outcome: { kind: 'frag-needed' } } });
  });

  it('gives up on a silent target after the first, smallest probe', async () => {
    const sizes: number[] = [];
    const silent: Prober = async (size) => {
      sizes.push(size);
      return { kind: 'timeout' };
    };
    const search = await searchPathMtu(silent, 576, 9000, { start: 1280 });
    expect(search).toMatchObject({ pathMtu: undefined, dropsAt: undefined });
    expect(sizes).toEqual([576]);
  });

  it('stops at the first ICMP unreachable', async () => {
    const search = await searchPathMtu(async () => ({ kind: 'unreachable', message: 'Destination Net Unreachable' }), 1280, 9000);
    expect(search.pathMtu).toBeUndefined();
    expect(search.probes).toHaveLength(1);
  });

  it('follows a "fragmentation needed" below the smallest size: a 1000-byte tunnel is 1000, not unreachable', async () => {
    const search = await searchPathMtu(simulatedPath(1000, false), 1280, 9000);
    expect(search).toMatchObject({ pathMtu: 1000, dropsAt: 1001, fragNeededMtu: 1000 });
    expect(search.probes.map((p) => p.size)).toEqual([1280, 1000]);
  });
});

describe('parsePingProbe', () => {
  it('reads replies, frag-needed (v4 and v6), the kernel-cached MTU and ICMP errors', () => {
    expect(parsePingProbe('1480 bytes from 198.18.4.2: icmp_seq=1 ttl=62 time=0.091 ms')).toEqual({ kind: 'reply', rttMs: 0.091 });
    expect(parsePingProbe('From 198.18.3.1 icmp_seq=1 Frag needed and DF set (mtu = 1500)')).toEqual({
      kind: 'frag-needed', mtu: 1500, from: '198.18.3.1',
    });
    expect(parsePingProbe('From fd00:198:18:3::1 icmp_seq=1 Packet too big: mtu=1500')).toEqual({
      kind: 'frag-needed', mtu: 1500, from: 'fd00:198:18:3::1',
    });
    expect(parsePingProbe('\nping: local error: message too long, mtu=1500')).toEqual({ kind: 'local-too-big', mtu: 1500 });
    expect(parsePingProbe('From 198.18.3.1 icmp_seq=1 Destination Net Unreachable')).toEqual({
      kind: 'unreachable', from: '198.18.3.1', message: 'Destination Net Unreachable',
    });
    expect(parsePingProbe('1 packets transmitted, 0 received, 100% packet loss, time 0ms')).toEqual({ kind: 'timeout' });
  });
});

describe('parseTracepath', () => {
  it('reads hops, the hop where the pmtu drops and whether the target was reached', () => {
    const report = parseTracepath(` 1?: [LOCALHOST]                      pmtu 9000
 1:  198.18.1.1                                            0.149ms
 2:  198.18.3.1                                            0.022ms
 3:  198.18.3.1                                            0.015ms pmtu 1500
 3:  198.18.4.2                                            0.103ms reached
     Resume: pmtu 1500 hops 3 back 3
`);
    expect(report).toMatchObject({ localPmtu: 9000, pmtu: 1500, reached: true });
    expect(report.hops.find((h) => h.pmtu === 1500)?.address).toBe('198.18.3.1');
  });

  it('reads a path whose big probes vanish', () => {
    const report = parseTracepath(` 1?: [LOCALHOST]                      pmtu 9000
 1:  198.18.1.1                                            0.077ms
 2:  198.18.3.1                                            0.020ms
 3:  no reply
     Too many hops: pmtu 9000
     Resume: pmtu 9000
`);
    expect(report).toMatchObject({ reached: false, pmtu: 9000 });
    expect(report.hops.at(-1)).toMatchObject({ ttl: 3, noReply: true });
  });
});

describe('checkPathMtu over an executor', () => {
  const flush = { command: 'ip', args: ['-4', 'route', 'flush', 'cache'] };
  const route = { command: 'ip', args: ['-j', '-4', 'route', 'get', '198.18.4.2'], stdout: '[{"dst":"198.18.4.2","dev":"up0"}]' };
  const reply = { command: 'ping', stdout: '548 bytes from 198.18.4.2: icmp_seq=1 ttl=62 time=0.1 ms' };
  const link = { command: 'ip', args: ['-j', 'link', 'show', 'dev', 'up0'], stdout: '[{"ifname":"up0","mtu":9000}]' };

  it('runs ping with DF, the payload size and a fractional wait, and classifies the answers', async () => {
    const exec = createScriptedExecutor([
      flush,
      route,
      link,
      reply,
      { command: 'ping', code: 1, stdout: 'From 198.18.3.1 icmp_seq=1 Frag needed and DF set (mtu = 1500)' },
      { command: 'ping', stdout: '1480 bytes from 198.18.4.2: icmp_seq=1 ttl=62 time=0.1 ms' },
    ]);
    const result = await checkPathMtu(exec, '198.18.4.2', { probeTimeoutMs: 250 });
    expect(result).toMatchObject({ status: 'warn', code: 'PATH_MTU_LOWER', target: '198.18.4.2 from scripted' });
    expect(exec.calls[3]?.args).toEqual(['-4', '-n', '-M', 'do', '-s', '548', '-c', '1', '-W', '0.250', '198.18.4.2']);
    expect(exec.calls[4]?.args).toContain('8972');
    expect(exec.calls[5]?.args).toContain('1472');
    expect(exec.unused()).toEqual([]);
  });

  it('clears the cached PMTU of an IPv6 target only, and refuses to trust the cache when it cannot clear it', async () => {
    const v6 = createScriptedExecutor([
      { command: 'ip', args: ['-6', 'route', 'flush', 'cache', 'fd00:198:18:5::2'] },
      { command: 'ping', stdout: '1232 bytes from fd00:198:18:5::2: icmp_seq=1 ttl=62 time=0.1 ms' },
      { command: 'ping', stdout: '8952 bytes from fd00:198:18:5::2: icmp_seq=1 ttl=62 time=0.1 ms' },
    ]);
    const ok = await checkPathMtu(v6, 'fd00:198:18:5::2', { local: { interface: 'up0', mtu: 9000 } });
    expect(ok).toMatchObject({ code: 'OK', evidence: { pathMtu: 9000, pmtuCache: 'cleared' } });
    expect(v6.unused()).toEqual([]);

    const notRoot = createScriptedExecutor([{ ...flush, code: 2, stderr: 'Operation not permitted' }]);
    await expect(checkPathMtu(notRoot, '198.18.4.2')).rejects.toMatchObject({
      code: 'NETCHECK_TOOL_FAILED',
      message: expect.stringMatching(/cannot clear the cached path MTU .*Operation not permitted.*pmtuCache 'keep'/),
    });
  });

  it('refuses names and option values it would render into commands', async () => {
    const exec = createScriptedExecutor([]);
    await expect(checkPathMtu(exec, 'example.org')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(checkPathMtu(exec, '198.18.0.1; reboot')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(exec.calls).toHaveLength(0);
    expect(() => resolvePathMtuOptions({ maxMtu: 100 })).toThrow(/maxMtu must be an integer from 576/);
    expect(resolvePathMtuOptions({ maxMtu: 600 })).toMatchObject({ minMtu: 600, maxMtu: 600 });
    expect(() => resolvePathMtuOptions({ minMtu: 1500, maxMtu: 1400 })).toThrow(/minMtu 1500 is above maxMtu 1400/);
    expect(() => resolvePathMtuOptions({ pmtuCache: 'trust' as 'keep' })).toThrow(/pmtuCache must be/);
    expect(() => resolvePathMtuOptions({ method: 'tcp' as 'udp' })).toThrow(/method must be/);
    expect(resolvePathMtuOptions()).toMatchObject({ method: 'icmp', minMtu: 1280, maxMtu: 9216, probeTimeoutMs: 1000, pmtuCache: 'clear' });
  });

  it('throws NETCHECK_TOOL_FAILED when the route lookup fails', async () => {
    const exec = createScriptedExecutor([flush, { ...route, code: 2, stdout: '', stderr: 'RTNETLINK answers: Network is unreachable' }]);
    await expect(checkPathMtu(exec, '198.18.4.2')).rejects.toMatchObject({ code: 'NETCHECK_TOOL_FAILED', name: 'NetcheckError' });
  });
});
