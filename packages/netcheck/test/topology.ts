// A throwaway network in real namespaces (root only): two racks with MTU 9000 links joined through a
// fabric router whose inner link is MTU 1500, bird2 BGP speakers, anycast DNS/NTP responders, iperf3.
//
//   a1 ─┐ 9000                                   9000
//       ├── tora ── 9000 ── fab ── 1500 ── torb ───── b1
//   a2 ─┘ 9000
//
// IPv4 and IPv6 run over every link. Addresses come only from 198.18.0.0/15 and fd00:198:18::/48.
// Namespace names start with FLEET_TEST_NETNS_PREFIX (default `fnc`) and a random tag, so parallel runs
// never collide. Everything created is removed by `teardown()`, which also runs on partial setup failures.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Executor } from '@fleet/core';
import { createLocalExecutor } from '@fleet/exec';
import { createNetnsExecutor } from '../src/index.js';

export type NodeName = 'a1' | 'a2' | 'tora' | 'fab' | 'torb' | 'b1';
const NODES: readonly NodeName[] = ['a1', 'a2', 'tora', 'fab', 'torb', 'b1'];

export const ADDR = {
  a1: '198.18.1.2',
  a2: '198.18.2.2',
  toraA1: '198.18.1.1',
  toraA2: '198.18.2.1',
  toraFab: '198.18.3.2',
  fabTora: '198.18.3.1',
  fabTorb: '198.18.4.1',
  torbFab: '198.18.4.2',
  torbB1: '198.18.5.1',
  b1: '198.18.5.2',
  a1v6: 'fd00:198:18:1::2',
  toraA1v6: 'fd00:198:18:1::1',
  toraFabV6: 'fd00:198:18:3::2',
  fabToraV6: 'fd00:198:18:3::1',
  fabTorbV6: 'fd00:198:18:4::1',
  torbFabV6: 'fd00:198:18:4::2',
  b1v6: 'fd00:198:18:5::2',
  /** Routed into a `blackhole` route at the fabric: every packet to it vanishes without an answer. */
  silent: '198.18.98.1',
  anycast: '198.19.0.53',
  /** Not routed anywhere inside the topology: probes to it must fail. */
  unrouted: '198.18.99.99',
} as const;

export interface TopologyOptions {
  /** Extra /32 targets on b1's loopback, 198.19.2.1 … (for the bench). */
  extraTargets?: number;
}

export interface Topology {
  prefix: string;
  dir: string;
  ns(node: NodeName): string;
  exec(node: NodeName): Executor;
  extraTargets: string[];
  /** Runs `ip -n NS …` style commands on the root side (setup and fault injection). */
  ip(node: NodeName, args: string[]): void;
  /** Starts a long-running process inside `node`'s namespace; killed by teardown. */
  spawnIn(node: NodeName, command: string, args: string[]): ChildProcess;
  stop(child: ChildProcess): Promise<void>;
  /** Drop ICMP "fragmentation needed" / ICMPv6 "packet too big" leaving the fabric: the PMTU black hole. */
  setBlackhole(on: boolean): void;
  /** The MTU of the fabric's inner link (fab — torb, 1500 at setup). Below 1280 it carries no IPv6. */
  setFabricMtu(mtu: number): void;
  /** Forget learned path MTUs everywhere, so the next probe starts fresh. */
  flushPmtuCache(): void;
  teardown(): Promise<void>;
}

const local = createLocalExecutor();

function sh(command: string, args: string[], input?: string): string {
  return execFileSync(command, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
}

export async function buildTopology(options: TopologyOptions = {}): Promise<Topology> {
  const prefix = `${process.env['FLEET_TEST_NETNS_PREFIX'] ?? 'fnc'}${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const children = new Set<ChildProcess>();
  const ns = (node: NodeName) => `${prefix}${node}`;
  const ip = (node: NodeName, args: string[]) => void sh('ip', ['-n', ns(node), ...args]);
  const nsExec = (node: NodeName, args: string[]) => void sh('ip', ['netns', 'exec', ns(node), ...args]);

  const stop = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        children.delete(child);
        return resolve();
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(timer);
        children.delete(child);
        resolve();
      });
      child.kill('SIGTERM');
    });

  const teardown = async () => {
    await Promise.all([...children].map(stop));
    const existing = sh('ip', ['netns', 'list']);
    for (const node of NODES) {
      if (existing.split('\n').some((line) => line.split(' ')[0] === ns(node))) {
        try {
          sh('ip', ['netns', 'del', ns(node)]);
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const link = (a: NodeName, aIf: string, b: NodeName, bIf: string, mtu: number) => {
    sh('ip', ['link', 'add', aIf, 'netns', ns(a), 'mtu', String(mtu), 'type', 'veth', 'peer', 'name', bIf, 'netns', ns(b), 'mtu', String(mtu)]);
    ip(a, ['link', 'set', aIf, 'up']);
    ip(b, ['link', 'set', bIf, 'up']);
  };
  const addr = (node: NodeName, dev: string, cidr: string) =>
    ip(node, cidr.includes(':') ? ['-6', 'addr', 'add', cidr, 'dev', dev, 'nodad'] : ['addr', 'add', cidr, 'dev', dev]);

  // The fabric link's IPv6 side: the kernel drops a link's IPv6 addresses and routes when its MTU goes
  // under 1280, so setFabricMtu() puts them back (replace: idempotent).
  // After IPv6 came back on the fabric link (its link-local addresses go through DAD again, neighbours are
  // learned afresh) the first packet can take longer than a probe timeout on a loaded machine: wait, bounded,
  // until a small IPv6 ping crosses from a1 to b1 again, so a test's first probe finds the path as it is.
  const waitForV6Path = () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        sh('ip', ['netns', 'exec', ns('a1'), 'ping', '-6', '-n', '-q', '-c', '1', '-W', '1', ADDR.b1v6]);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`IPv6 a1 -> b1 did not come back within 20 s after the fabric MTU change: ${String(error)}`);
      }
    }
  };
  const fabricV6 = () => {
    ip('fab', ['-6', 'addr', 'replace', `${ADDR.fabTorbV6}/64`, 'dev', 'torb', 'nodad']);
    ip('torb', ['-6', 'addr', 'replace', `${ADDR.torbFabV6}/64`, 'dev', 'fab', 'nodad']);
    ip('fab', ['-6', 'route', 'replace', 'fd00:198:18:5::/64', 'via', ADDR.torbFabV6]);
    ip('torb', ['-6', 'route', 'replace', 'default', 'via', ADDR.fabTorbV6]);
  };

  const extraTargets: string[] = [];
  try {
    for (const node of NODES) {
      sh('ip', ['netns', 'add', ns(node)]);
      ip(node, ['link', 'set', 'lo', 'up']);
    }
    for (const router of ['tora', 'fab', 'torb'] as const) {
      nsExec(router, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
      // Routers rate-limit ICMP errors to one per second per destination by default; many probes
      // at once would then see "fragmentation needed" go missing.
      nsExec(router, ['sysctl', '-qw', 'net.ipv4.icmp_ratelimit=0']);
      nsExec(router, ['sysctl', '-qw', 'net.ipv6.conf.all.forwarding=1']);
      nsExec(router, ['sysctl', '-qw', 'net.ipv6.icmp.ratelimit=0']);
    }
    link('a1', 'up0', 'tora', 'a1', 9000);
    link('a2', 'up0', 'tora', 'a2', 9000);
    link('tora', 'fab', 'fab', 'tora', 9000);
    link('fab', 'torb', 'torb', 'fab', 1500); // the fabric's inner link
    link('torb', 'b1', 'b1', 'up0', 9000);
    addr('a1', 'up0', `${ADDR.a1}/24`);
    addr('a1', 'up0', `${ADDR.a1v6}/64`);
    addr('a2', 'up0', `${ADDR.a2}/24`);
    addr('tora', 'a1', `${ADDR.toraA1}/24`);
    addr('tora', 'a1', `${ADDR.toraA1v6}/64`);
    addr('tora', 'a2', `${ADDR.toraA2}/24`);
    addr('tora', 'fab', `${ADDR.toraFab}/24`);
    addr('fab', 'tora', `${ADDR.fabTora}/24`);
    addr('fab', 'torb', `${ADDR.fabTorb}/24`);
    addr('torb', 'fab', `${ADDR.torbFab}/24`);
    addr('torb', 'b1', `${ADDR.torbB1}/24`);
    addr('b1', 'up0', `${ADDR.b1}/24`);
    addr('tora', 'fab', `${ADDR.toraFabV6}/64`);
    addr('fab', 'tora', `${ADDR.fabToraV6}/64`);
    addr('torb', 'b1', 'fd00:198:18:5::1/64');
    addr('b1', 'up0', `${ADDR.b1v6}/64`);
    fabricV6();
    addr('a2', 'lo', `${ADDR.anycast}/32`);
    addr('b1', 'lo', `${ADDR.anycast}/32`);
    ip('a1', ['route', 'add', 'default', 'via', ADDR.toraA1]);
    ip('a2', ['route', 'add', 'default', 'via', ADDR.toraA2]);
    ip('tora', ['route', 'add', 'default', 'via', ADDR.fabTora]);
    ip('tora', ['route', 'add', `${ADDR.anycast}/32`, 'via', ADDR.a2]);
    ip('fab', ['route', 'add', '198.18.1.0/24', 'via', ADDR.toraFab]);
    ip('fab', ['route', 'add', '198.18.2.0/24', 'via', ADDR.toraFab]);
    ip('fab', ['route', 'add', '198.18.5.0/24', 'via', ADDR.torbFab]);
    ip('fab', ['route', 'add', `${ADDR.anycast}/32`, 'via', ADDR.torbFab]);
    ip('fab', ['route', 'add', '198.19.2.0/24', 'via', ADDR.torbFab]);
    ip('torb', ['route', 'add', 'default', 'via', ADDR.fabTorb]);
    ip('torb', ['route', 'add', `${ADDR.anycast}/32`, 'via', ADDR.b1]);
    ip('torb', ['route', 'add', '198.19.2.0/24', 'via', ADDR.b1]);
    ip('b1', ['route', 'add', 'default', 'via', ADDR.torbB1]);
    ip('fab', ['route', 'add', 'blackhole', '198.18.98.0/24']);
    ip('a1', ['-6', 'route', 'add', 'default', 'via', ADDR.toraA1v6]);
    ip('tora', ['-6', 'route', 'add', 'default', 'via', ADDR.fabToraV6]);
    ip('fab', ['-6', 'route', 'add', 'fd00:198:18:1::/64', 'via', ADDR.toraFabV6]);
    ip('b1', ['-6', 'route', 'add', 'default', 'via', 'fd00:198:18:5::1']);
    const extra = options.extraTargets ?? 0;
    if (extra > 0) {
      // One `ip -batch` instead of hundreds of processes.
      const lines: string[] = [];
      for (let i = 1; i <= extra; i++) {
        const target = `198.19.2.${i}`;
        extraTargets.push(target);
        lines.push(`addr add ${target}/32 dev lo`);
      }
      sh('ip', ['-n', ns('b1'), '-batch', '-'], `${lines.join('\n')}\n`);
    }
  } catch (error) {
    await teardown();
    throw error;
  }

  return {
    prefix,
    dir,
    ns,
    exec: (node) => createNetnsExecutor(ns(node), local),
    extraTargets,
    ip,
    spawnIn(node, command, args) {
      const child = spawn('ip', ['netns', 'exec', ns(node), command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      child.once('exit', () => children.delete(child));
      // Keep the pipes drained (a chatty daemon must never block on a full pipe) and remember the
      // output, so waitForOutput() also sees lines printed before it was called.
      const seen = { stdout: '', stderr: '' };
      output.set(child, seen);
      child.stdout?.on('data', (d: Buffer) => {
        seen.stdout = (seen.stdout + d.toString()).slice(-65_536);
      });
      child.stderr?.on('data', (d: Buffer) => {
        seen.stderr = (seen.stderr + d.toString()).slice(-65_536);
      });
      return child;
    },
    stop,
    setBlackhole(on) {
      if (on) {
        const rules = [
          'table inet fncbh {',
          '  chain out {',
          '    type filter hook output priority 0;',
          '    icmp type destination-unreachable icmp code frag-needed drop',
          '    icmpv6 type packet-too-big drop',
          '  }',
          '}',
        ].join('\n');
        sh('ip', ['netns', 'exec', ns('fab'), 'nft', '-f', '-'], `${rules}\n`);
      } else {
        sh('ip', ['netns', 'exec', ns('fab'), 'nft', 'delete', 'table', 'inet', 'fncbh']);
      }
    },
    setFabricMtu(mtu) {
      ip('fab', ['link', 'set', 'torb', 'mtu', String(mtu)]);
      ip('torb', ['link', 'set', 'fab', 'mtu', String(mtu)]);
      if (mtu >= 1280) {
        fabricV6();
        waitForV6Path();
      }
    },
    flushPmtuCache() {
      for (const node of NODES) {
        ip(node, ['route', 'flush', 'cache']);
        ip(node, ['-6', 'route', 'flush', 'cache']);
      }
    },
    teardown,
  };
}

/** Waits for a child to print `text` on stdout (a responder's `ready`). */
const output = new WeakMap<ChildProcess, { stdout: string; stderr: string }>();

export function waitForOutput(child: ChildProcess, text: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const earlier = output.get(child);
    if (earlier?.stdout.includes(text)) return resolve();
    let seen = earlier?.stdout ?? '';
    let errors = earlier?.stderr ?? '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms: ${errors}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      errors += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before "${text}": ${errors}`));
    });
  });
}

export const RESPONDER = fileURLToPath(new URL('./responders/anycast-responder.mjs', import.meta.url));

/** Starts the anycast DNS/NTP responder on `node`; resolves once it listens. */
export async function startResponder(topo: Topology, node: NodeName, instance: string, unicast: string, ntpSkewMs = 0): Promise<ChildProcess> {
  const child = topo.spawnIn(node, process.execPath, [RESPONDER, ADDR.anycast, instance, unicast, String(ntpSkewMs)]);
  await waitForOutput(child, 'ready');
  return child;
}

/** Starts BIRD (foreground, killed by teardown) in `node` with `config`; returns its control socket. */
export function startBird(topo: Topology, node: NodeName, config: string): string {
  const cfg = join(topo.dir, `${node}.conf`);
  const socket = join(topo.dir, `${node}.ctl`);
  writeFileSync(cfg, config);
  topo.spawnIn(node, 'bird', ['-f', '-c', cfg, '-s', socket, '-P', join(topo.dir, `${node}.pid`)]);
  return socket;
}

export { local as localExecutor };
