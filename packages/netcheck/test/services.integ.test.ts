import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FleetNode,
  checkDns,
  checkNtp,
  checkPathMtu,
  checkThroughput,
  createExecutorExchanger,
  createLocalExchanger,
  fleetReportJson,
  renderFleetTable,
  runFleet,
} from '../src/index.js';
import { netnsAvailable } from './netns-available.js';
import { ADDR, buildTopology, RESPONDER, startResponder, type Topology, waitForOutput } from './topology.js';

const ANYCAST = ADDR.anycast;

describe.skipIf(!netnsAvailable())('throughput, anycast DNS/NTP and fleet mode in real namespaces', () => {
  let topo: Topology;
  let a2Responder: ChildProcess;
  beforeAll(async () => {
    topo = await buildTopology();
    const iperfA2 = topo.spawnIn('a2', 'iperf3', ['-s', '--forceflush', '-B', ADDR.a2]);
    const iperfB1 = topo.spawnIn('b1', 'iperf3', ['-s', '--forceflush', '-B', ADDR.b1]);
    a2Responder = await startResponder(topo, 'a2', 'a2', ADDR.a2);
    // b1's NTP clock is 5 s fast: the fault the NTP check exists to find.
    await startResponder(topo, 'b1', 'b1', ADDR.b1, 5000);
    await Promise.all([waitForOutput(iperfA2, 'Server listening'), waitForOutput(iperfB1, 'Server listening')]);
  });
  afterAll(async () => {
    await topo?.teardown();
  });

  describe('throughput (iperf3 -J)', () => {
    it('reports Gbit/s and retransmits above the floor on a healthy path', async () => {
      const result = await checkThroughput(topo.exec('a1'), ADDR.a2, { floorGbps: 0.2, seconds: 1 });
      expect(result).toMatchObject({ status: 'ok', code: 'OK', check: 'throughput' });
      expect(result.evidence.receivedGbps).toBeGreaterThan(0.2);
      expect(typeof result.evidence.retransmits).toBe('number');
    });

    it('fails under the floor when a PMTU black hole stalls TCP (the 1.4 MB/s incident)', async () => {
      topo.flushPmtuCache();
      topo.setBlackhole(true);
      try {
        const result = await checkThroughput(topo.exec('a1'), ADDR.b1, { floorGbps: 0.2, seconds: 1 });
        expect(result).toMatchObject({ status: 'fail', code: 'THROUGHPUT_LOW' });
        expect(result.evidence.receivedGbps).toBeLessThan(0.2);
      } finally {
        topo.setBlackhole(false);
        topo.flushPmtuCache();
      }
    });

    it('throws NETCHECK_TOOL_FAILED when no iperf3 server listens', async () => {
      await expect(checkThroughput(topo.exec('a1'), ADDR.toraA1, { seconds: 1 })).rejects.toMatchObject({
        code: 'NETCHECK_TOOL_FAILED',
      });
    });
  });

  describe('anycast DNS and NTP probed from inside the namespaces', () => {
    it('answers over UDP and TCP from the nearest instance of each rack', async () => {
      const fromA1 = createExecutorExchanger(topo.exec('a1'), process.execPath);
      const fromB1 = createExecutorExchanger(topo.exec('b1'), process.execPath);
      for (const protocol of ['udp', 'tcp'] as const) {
        const a = await checkDns(fromA1, ANYCAST, { name: 'ns.fleet.test', protocol, expect: [ADDR.a2], from: 'a1' });
        expect(a).toMatchObject({ status: 'ok', code: 'OK', evidence: { rcode: 'NOERROR', protocol } });
        expect(a.evidence.latencyMs).toBeGreaterThan(0);
        const b = await checkDns(fromB1, ANYCAST, { name: 'ns.fleet.test', protocol, from: 'b1' });
        expect(b.evidence.answers[0]?.data).toBe(ADDR.b1);
      }
      const txt = await checkDns(fromA1, ANYCAST, { name: 'who.fleet.test', type: 'TXT' });
      expect(txt.evidence.answers[0]).toMatchObject({ type: 'TXT', data: 'a2' });
    });

    it('fails on error codes and unexpected answers', async () => {
      const fromA1 = createExecutorExchanger(topo.exec('a1'), process.execPath);
      const nx = await checkDns(fromA1, ANYCAST, { name: 'nothing.example' });
      expect(nx).toMatchObject({ status: 'fail', code: 'DNS_ERROR_RCODE', evidence: { rcode: 'NXDOMAIN' } });
      const wrong = await checkDns(fromA1, ANYCAST, { name: 'ns.fleet.test', expect: ['198.18.0.1'] });
      expect(wrong).toMatchObject({ status: 'fail', code: 'DNS_UNEXPECTED_ANSWER' });
    });

    it('reads stratum and offset over NTP, and fails the instance whose clock is 5 s off', async () => {
      const fromA1 = createExecutorExchanger(topo.exec('a1'), process.execPath);
      const fromB1 = createExecutorExchanger(topo.exec('b1'), process.execPath);
      const good = await checkNtp(fromA1, ANYCAST, { from: 'a1' });
      expect(good).toMatchObject({ status: 'ok', code: 'OK', evidence: { sample: { stratum: 2, mode: 4, version: 4 } } });
      expect(Math.abs(good.evidence.sample!.offsetMs)).toBeLessThan(100);
      const skewed = await checkNtp(fromB1, ANYCAST, { from: 'b1' });
      expect(skewed).toMatchObject({ status: 'fail', code: 'NTP_OFFSET' });
      expect(skewed.evidence.sample!.offsetMs).toBeGreaterThan(4500);
      expect(skewed.evidence.sample!.offsetMs).toBeLessThan(5500);
    });

    it('the in-process exchanger speaks the same protocols over loopback', async () => {
      const port = await freePort();
      const ntpPort = await freePort();
      const child = spawn(process.execPath, [RESPONDER, '127.0.0.1', 'lo', '127.0.0.1', '0', String(port), String(ntpPort)]);
      try {
        await waitForOutput(child, 'ready');
        const exchanger = createLocalExchanger();
        for (const protocol of ['udp', 'tcp'] as const) {
          const dns = await checkDns(exchanger, '127.0.0.1', { name: 'x.fleet.test', port, protocol });
          expect(dns).toMatchObject({ status: 'ok', evidence: { answers: [{ type: 'A', data: '127.0.0.1' }] } });
        }
        const ntp = await checkNtp(exchanger, '127.0.0.1', { port: ntpPort });
        expect(ntp).toMatchObject({ status: 'ok', evidence: { sample: { stratum: 2 } } });
      } finally {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      const gone = await checkDns(createLocalExchanger(), '127.0.0.1', { name: 'x.fleet.test', port, protocol: 'tcp' });
      expect(gone).toMatchObject({ status: 'fail', code: 'DNS_NO_ANSWER', evidence: { error: 'ECONNREFUSED' } });
    });

    it('fails from the rack whose instance died while the other rack still gets answers', async () => {
      await topo.stop(a2Responder);
      const fromA1 = createExecutorExchanger(topo.exec('a1'), process.execPath);
      const fromB1 = createExecutorExchanger(topo.exec('b1'), process.execPath);
      const dead = await checkDns(fromA1, ANYCAST, { name: 'ns.fleet.test', timeoutMs: 500 });
      expect(dead).toMatchObject({ status: 'fail', code: 'DNS_NO_ANSWER' });
      const ntpDead = await checkNtp(fromA1, ANYCAST, { timeoutMs: 500 });
      expect(ntpDead).toMatchObject({ status: 'fail', code: 'NTP_NO_ANSWER' });
      const alive = await checkDns(fromB1, ANYCAST, { name: 'ns.fleet.test' });
      expect(alive.status).toBe('ok');
      a2Responder = await startResponder(topo, 'a2', 'a2', ADDR.a2);
    });
  });

  describe('fleet mode', () => {
    const node = (name: 'a1' | 'a2' | 'b1', rack: string, address: string): FleetNode => ({
      name,
      rack,
      address,
      executor: topo.exec(name),
    });

    it('runs node and rack-to-rack pair checks with a bound and reports table, JSON and exit code', async () => {
      const nodes = [node('a1', 'rack-a', ADDR.a1), node('a2', 'rack-a', ADDR.a2), node('b1', 'rack-b', ADDR.b1)];
      const report = await runFleet({
        nodes,
        concurrency: 2,
        nodeChecks: [
          (n) => checkDns(createExecutorExchanger(n.executor, process.execPath), ANYCAST, { name: 'ns.fleet.test', from: n.name }),
        ],
        pairChecks: [(from, to) => checkPathMtu(from.executor, to.address, { from: from.name })],
      });
      // 3 DNS rows + rack-a -> rack-b and rack-b -> rack-a path MTU rows.
      expect(report.rows).toHaveLength(5);
      const pairs = report.rows.filter((r) => r.result.check === 'path-mtu').map((r) => `${r.node}->${r.peer}`);
      expect(pairs.sort()).toEqual(['a1->b1', 'b1->a1']);
      expect(report.rows.filter((r) => r.result.check === 'path-mtu').every((r) => r.result.code === 'PATH_MTU_LOWER')).toBe(true);
      expect(report).toMatchObject({ status: 'warn', exitCode: 1, counts: { ok: 3, warn: 2, fail: 0 } });
      const table = renderFleetTable(report);
      expect(table.split('\n')[0]).toMatch(/^STATUS\s+NODE\s+PEER\s+CHECK\s+CODE\s+SUMMARY$/);
      expect(table).toMatch(/WARN\s+a1\s+b1\s+path-mtu\s+PATH_MTU_LOWER/);
      expect(JSON.parse(fleetReportJson(report))).toMatchObject({ exitCode: 1, counts: { warn: 2 } });
    });

    it('turns a node that cannot be reached into a CHECK_ERROR row and exit code 2', async () => {
      const ghost: FleetNode = { ...node('a1', 'rack-c', ADDR.a1), name: 'ghost' };
      ghost.executor = { ...ghost.executor, target: 'ghost', run: async () => ({ code: 255, stdout: '', stderr: 'ssh: connect refused', durationMs: 0 }) };
      const report = await runFleet({
        nodes: [node('a1', 'rack-a', ADDR.a1), ghost],
        pairs: [],
        nodeChecks: [(n) => checkPathMtu(n.executor, ADDR.a2, { from: n.name })],
      });
      expect(report).toMatchObject({ status: 'fail', exitCode: 2 });
      expect(report.rows.find((r) => r.node === 'ghost')?.result).toMatchObject({ status: 'fail', code: 'CHECK_ERROR' });
      expect(report.rows.find((r) => r.node === 'a1')?.result.status).toBe('ok');
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
