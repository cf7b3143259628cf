import { type Executor, ValidationError, validateInteger } from '@fleet/core';
import { addressFamily, validateAddress } from './address.js';
import { NetcheckError } from './errors.js';
import { type CheckResult, makeResult } from './result.js';

/** What one don't-fragment probe of `size` bytes (whole IP packet) came back with. */
export type ProbeOutcome =
  | { kind: 'reply'; rttMs?: number }
  /** A router answered ICMP "fragmentation needed" / "packet too big", naming its next-hop MTU. */
  | { kind: 'frag-needed'; mtu: number; from?: string }
  /** The kernel already knows a smaller path MTU (learned from an earlier ICMP) and refused to send. */
  | { kind: 'local-too-big'; mtu: number }
  /** Another ICMP error (net/host unreachable, filtered). */
  | { kind: 'unreachable'; from?: string; message: string }
  /** Neither reply nor ICMP error before the timeout. */
  | { kind: 'timeout' };

export interface ProbeRecord {
  size: number;
  outcome: ProbeOutcome;
}

export type Prober = (size: number) => Promise<ProbeOutcome>;

export interface PathMtuSearch {
  /** Largest size that got a reply; undefined when nothing did. */
  pathMtu: number | undefined;
  /** Smallest size known to fail (probed, or vouched for by a "fragmentation needed"). */
  dropsAt: number | undefined;
  /** The failure that set `dropsAt` and how: its kind tells a black hole from a lower path MTU. */
  firstFailure: ProbeRecord | undefined;
  /** The router that answered "fragmentation needed", when one did. */
  hop: string | undefined;
  fragNeededMtu: number | undefined;
  probes: ProbeRecord[];
}

/**
 * Binary search for the largest packet that crosses the path with DF set, between `min` and `max`.
 * The first probe is at `max`; an ICMP "fragmentation needed" names the next MTU and is tried directly,
 * so a reporting path takes 2–3 probes and a silent one at most ceil(log2(max - min)) + 2 (the last
 * re-asks at the failing size, since routers rate-limit ICMP errors).
 */
export async function searchPathMtu(prober: Prober, min: number, max: number): Promise<PathMtuSearch> {
  const probes: ProbeRecord[] = [];
  let hop: string | undefined;
  let fragNeededMtu: number | undefined;
  const probe = async (size: number): Promise<ProbeOutcome> => {
    const outcome = await prober(size);
    probes.push({ size, outcome });
    if (outcome.kind === 'frag-needed') {
      if (outcome.from !== undefined) hop = outcome.from;
      fragNeededMtu = fragNeededMtu === undefined ? outcome.mtu : Math.min(fragNeededMtu, outcome.mtu);
    }
    return outcome;
  };
  let ok = min - 1; // largest size known to pass (min - 1: none yet)
  let fail = max + 1; // smallest size known to fail
  let failure: ProbeRecord | undefined;
  let hint: number | undefined = max;
  while (fail - ok > 1) {
    const size = hint !== undefined && hint > ok && hint < fail ? hint : Math.max(min, Math.floor((ok + fail) / 2));
    hint = undefined;
    const outcome = await probe(size);
    if (outcome.kind === 'reply') {
      ok = size;
      continue;
    }
    fail = size;
    failure = { size, outcome };
    if (outcome.kind === 'frag-needed' || outcome.kind === 'local-too-big') {
      // The router vouches that anything above its MTU fails at it: try exactly that size next.
      if (outcome.mtu >= min && outcome.mtu < size) {
        hint = outcome.mtu;
        fail = outcome.mtu + 1;
      }
    } else if (outcome.kind === 'unreachable') {
      break; // a path that refuses every size has no MTU to find
    }
  }
  // Routers rate-limit ICMP errors: before calling a path silent, ask once more at the failing size.
  if (failure?.outcome.kind === 'timeout' && ok >= min) {
    const again = await probe(failure.size);
    if (again.kind !== 'timeout' && again.kind !== 'reply') failure = { size: failure.size, outcome: again };
  }
  return { pathMtu: ok >= min ? ok : undefined, dropsAt: fail <= max ? fail : undefined, firstFailure: failure, hop, fragNeededMtu, probes };
}

const FRAG_V4 = /From (\S+?)(?: \(\S+\))? icmp_seq=\d+ Frag needed and DF set \(mtu = (\d+)\)/;
const FRAG_V6 = /From (\S+?)(?: \(\S+\))? icmp_seq=\d+ Packet too big: mtu=(\d+)/;
const LOCAL = /local error: [Mm]essage too long, mtu[= ]+(\d+)/;
const REPLY = /bytes from \S+?:? icmp_seq=\d+ ttl=\d+(?: time=([\d.]+) ms)?/;
const ICMP_ERR = /From (\S+?)(?: \(\S+\))? icmp_seq=\d+ (.+)$/m;

/** Classifies the output of `ping -M do -s N -c 1` (stdout and stderr joined) into a ProbeOutcome. */
export function parsePingProbe(output: string): ProbeOutcome {
  const reply = REPLY.exec(output);
  if (reply) return reply[1] === undefined ? { kind: 'reply' } : { kind: 'reply', rttMs: Number(reply[1]) };
  const frag = FRAG_V4.exec(output) ?? FRAG_V6.exec(output);
  if (frag) return { kind: 'frag-needed', from: frag[1]!.replace(/:$/, ''), mtu: Number(frag[2]) };
  const local = LOCAL.exec(output);
  if (local) return { kind: 'local-too-big', mtu: Number(local[1]) };
  const err = ICMP_ERR.exec(output);
  if (err) return { kind: 'unreachable', from: err[1]!.replace(/:$/, ''), message: err[2]!.trim() };
  if (/connect: Network is unreachable|No route to host/.test(output)) {
    return { kind: 'unreachable', message: output.trim().split('\n')[0] ?? 'unreachable' };
  }
  return { kind: 'timeout' };
}

export interface InterfaceMtu {
  interface: string;
  mtu: number;
  /** An MTU set on the route itself (`ip route … mtu N`) or learned PMTU cached for the destination. */
  routeMtu?: number;
}

/** The egress interface towards `address` and its MTU, from `ip -j route get` and `ip -j link show`. */
export async function readInterfaceMtu(executor: Executor, address: string): Promise<InterfaceMtu> {
  const addr = validateAddress(address);
  const route = await executor.run('ip', ['-j', addressFamily(addr) === 6 ? '-6' : '-4', 'route', 'get', addr]);
  if (route.code !== 0) {
    throw new NetcheckError('NETCHECK_TOOL_FAILED', `ip route get ${addr} on ${executor.target} failed: ${route.stderr.trim()}`);
  }
  const routes = parseJson(route.stdout, 'ip -j route get') as Array<{ dev?: string; metrics?: Array<{ mtu?: number }> }>;
  const dev = routes[0]?.dev;
  if (!dev) throw new NetcheckError('NETCHECK_PARSE_FAILED', `ip route get ${addr} on ${executor.target} named no interface`);
  const link = await executor.run('ip', ['-j', 'link', 'show', 'dev', dev]);
  if (link.code !== 0) {
    throw new NetcheckError('NETCHECK_TOOL_FAILED', `ip link show ${dev} on ${executor.target} failed: ${link.stderr.trim()}`);
  }
  const links = parseJson(link.stdout, 'ip -j link show') as Array<{ mtu?: number }>;
  const mtu = links[0]?.mtu;
  if (typeof mtu !== 'number') throw new NetcheckError('NETCHECK_PARSE_FAILED', `ip link show ${dev} reported no MTU`);
  const routeMtu = routes[0]?.metrics?.find((m) => typeof m.mtu === 'number')?.mtu;
  return routeMtu === undefined ? { interface: dev, mtu } : { interface: dev, mtu, routeMtu };
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new NetcheckError('NETCHECK_PARSE_FAILED', `${what} printed output that is not JSON: ${text.slice(0, 80)}`, { cause });
  }
}

/** A ping-based DF prober through `executor` (`ping -M do -s SIZE-HEADER -c 1 -W T`). */
export function createPingProber(executor: Executor, address: string, timeoutMs = 1000): Prober {
  const addr = validateAddress(address);
  const v6 = addressFamily(addr) === 6;
  const header = v6 ? 48 : 28; // IP + ICMP echo headers
  const wait = (timeoutMs / 1000).toFixed(3);
  return async (size) => {
    const args = [v6 ? '-6' : '-4', '-n', '-M', 'do', '-s', String(size - header), '-c', '1', '-W', wait, addr];
    // Generous: over a busy SSH connection starting the command costs more than the probe itself.
    const result = await executor.run('ping', args, { timeoutMs: timeoutMs + 30_000 });
    if (result.code !== 0 && result.code !== 1 && !/local error/.test(result.stderr)) {
      // ping exits 2 for errors other than "no reply"; keep the ones we understand as outcomes.
      const outcome = parsePingProbe(`${result.stdout}\n${result.stderr}`);
      if (outcome.kind !== 'timeout') return outcome;
      throw new NetcheckError('NETCHECK_TOOL_FAILED', `ping on ${executor.target} failed: ${result.stderr.trim()}`);
    }
    return parsePingProbe(`${result.stdout}\n${result.stderr}`);
  };
}

export interface TracepathHop {
  ttl: number;
  address?: string;
  /** The path MTU tracepath noted at this hop (printed where it changed). */
  pmtu?: number;
  reached: boolean;
  noReply: boolean;
}

export interface TracepathReport {
  hops: TracepathHop[];
  /** Local interface MTU tracepath started from (`[LOCALHOST] pmtu N`). */
  localPmtu?: number;
  pmtu?: number;
  reached: boolean;
}

/** Parses `tracepath -n` output. */
export function parseTracepath(output: string): TracepathReport {
  const hops: TracepathHop[] = [];
  let localPmtu: number | undefined;
  let pmtu: number | undefined;
  for (const line of output.split('\n')) {
    const local = /^\s*\d+\?:\s+\[LOCALHOST\]\s+pmtu (\d+)/.exec(line);
    if (local) {
      localPmtu = Number(local[1]);
      continue;
    }
    const resume = /Resume: pmtu (\d+)/.exec(line) ?? /Too many hops: pmtu (\d+)/.exec(line);
    if (resume) {
      pmtu = Number(resume[1]);
      continue;
    }
    const hop = /^\s*(\d+):\s+(.*)$/.exec(line);
    if (!hop) continue;
    const rest = hop[2]!;
    if (/^no reply/.test(rest)) {
      hops.push({ ttl: Number(hop[1]), reached: false, noReply: true });
      continue;
    }
    const addr = /^(\S+)/.exec(rest)?.[1];
    const mtu = /pmtu (\d+)/.exec(rest)?.[1];
    const entry: TracepathHop = { ttl: Number(hop[1]), reached: /\breached\b/.test(rest), noReply: false };
    if (addr !== undefined) entry.address = addr;
    if (mtu !== undefined) entry.pmtu = Number(mtu);
    hops.push(entry);
  }
  const report: TracepathReport = { hops, reached: hops.some((h) => h.reached) };
  if (localPmtu !== undefined) report.localPmtu = localPmtu;
  if (pmtu !== undefined) report.pmtu = pmtu;
  return report;
}

export interface PathMtuOptions {
  /** `icmp`: ping binary search; `udp`: tracepath's UDP probes. Default `icmp`. */
  method?: 'icmp' | 'udp';
  /** Smallest size searched (default 1280, the IPv6 minimum). */
  minMtu?: number;
  /** Largest size searched (default 9216); capped by the local interface MTU. */
  maxMtu?: number;
  /** Below this path MTU the result is `fail` rather than `warn` (e.g. 9000 where jumbo frames are required). */
  requiredMtu?: number;
  /** Per-probe wait (default 1000 ms). */
  probeTimeoutMs?: number;
  /** Hop limit for UDP probes (default 8). */
  maxHops?: number;
  /** Names the probing side in results (default: the executor's target). */
  from?: string;
  /** The egress interface and its MTU when the caller already knows them (saves two commands per target). */
  local?: InterfaceMtu;
}

export interface ResolvedPathMtuOptions {
  method: 'icmp' | 'udp';
  minMtu: number;
  maxMtu: number;
  requiredMtu: number | undefined;
  probeTimeoutMs: number;
  maxHops: number;
  from: string | undefined;
  local: InterfaceMtu | undefined;
}

export function resolvePathMtuOptions(options: PathMtuOptions = {}): ResolvedPathMtuOptions {
  const method = options.method ?? 'icmp';
  if (method !== 'icmp' && method !== 'udp') throw new ValidationError('method', `method must be 'icmp' or 'udp', got ${JSON.stringify(method)}`);
  const minMtu = validateInteger(options.minMtu ?? 1280, 'minMtu', 576, 65535);
  const maxMtu = validateInteger(options.maxMtu ?? 9216, 'maxMtu', minMtu, 65535);
  const requiredMtu = options.requiredMtu === undefined ? undefined : validateInteger(options.requiredMtu, 'requiredMtu', 576, 65535);
  return {
    method,
    minMtu,
    maxMtu,
    requiredMtu,
    probeTimeoutMs: validateInteger(options.probeTimeoutMs ?? 1000, 'probeTimeoutMs', 50, 60_000),
    maxHops: validateInteger(options.maxHops ?? 8, 'maxHops', 1, 64),
    from: options.from,
    local: options.local && { ...options.local, mtu: validateInteger(options.local.mtu, 'local.mtu', 68, 65535) },
  };
}

export interface PathMtuEvidence {
  method: 'icmp' | 'udp';
  interface: string;
  localMtu: number;
  pathMtu: number | undefined;
  /** Router that reported the smaller MTU ("fragmentation needed"), when one did. */
  hop: string | undefined;
  /** Smallest size that did not get through. */
  dropsAt: number | undefined;
  probes: ProbeRecord[];
  tracepath?: TracepathReport;
}

/**
 * Path MTU from the executor's host to `address`, compared with the local interface MTU.
 * Codes: `OK`; `PATH_MTU_LOWER` (warn, or fail under `requiredMtu`) when a router reports a smaller MTU;
 * `PMTU_BLACKHOLE` (fail) when large DF packets vanish without any ICMP "fragmentation needed";
 * `TARGET_UNREACHABLE` (fail) when not even the smallest probe gets through.
 */
export async function checkPathMtu(
  executor: Executor,
  address: string,
  options: PathMtuOptions = {},
): Promise<CheckResult<PathMtuEvidence>> {
  const started = performance.now();
  const addr = validateAddress(address);
  const opts = resolvePathMtuOptions(options);
  const target = `${addr} from ${opts.from ?? executor.target}`;
  const local = opts.local ?? (await readInterfaceMtu(executor, addr));
  const max = Math.min(opts.maxMtu, local.mtu);
  const min = Math.min(opts.minMtu, max);
  const prober = createPingProber(executor, addr, opts.probeTimeoutMs);
  if (opts.method === 'udp') return udpPathMtu(executor, addr, opts, local, max, min, prober, target, started);

  const search = await searchPathMtu(prober, min, max);
  const evidence: PathMtuEvidence = {
    method: 'icmp',
    interface: local.interface,
    localMtu: local.mtu,
    pathMtu: search.pathMtu,
    hop: search.hop,
    dropsAt: search.dropsAt,
    probes: search.probes,
  };
  const result = (status: 'ok' | 'warn' | 'fail', code: string, summary: string) =>
    makeResult('path-mtu', target, status, code, summary, evidence, started);
  if (search.pathMtu === undefined) {
    const why = search.firstFailure?.outcome;
    const detail = why?.kind === 'unreachable' ? `: ${why.message}${why.from ? ` from ${why.from}` : ''}` : '';
    return result('fail', 'TARGET_UNREACHABLE', `${addr} answers no probe, not even ${min} bytes${detail}`);
  }
  if (search.pathMtu >= max) return result('ok', 'OK', `path MTU ${search.pathMtu} matches ${local.interface} MTU ${local.mtu}`);
  const failure = search.firstFailure?.outcome;
  if (failure?.kind === 'timeout') {
    return result(
      'fail',
      'PMTU_BLACKHOLE',
      `packets above ${search.pathMtu} bytes to ${addr} vanish without ICMP "fragmentation needed" ` +
        `(${local.interface} MTU ${local.mtu}): a router drops them silently or the ICMP is filtered; ` +
        `fix the fabric MTU or let ICMP type 3 code 4 / ICMPv6 type 2 through`,
    );
  }
  return lowerResult(evidence, opts, search.pathMtu, local.mtu, local.interface, target, started);
}

function lowerResult(
  evidence: PathMtuEvidence,
  opts: ResolvedPathMtuOptions,
  pathMtu: number,
  localMtu: number,
  iface: string,
  target: string,
  started: number,
): CheckResult<PathMtuEvidence> {
  const where = evidence.hop ? ` at ${evidence.hop}` : '';
  const status = opts.requiredMtu !== undefined && pathMtu < opts.requiredMtu ? 'fail' : 'warn';
  const need = opts.requiredMtu !== undefined ? `, ${opts.requiredMtu} required` : '';
  return makeResult(
    'path-mtu',
    target,
    status,
    'PATH_MTU_LOWER',
    `path MTU drops to ${pathMtu}${where} (${iface} MTU ${localMtu}${need}); PMTU discovery works`,
    evidence,
    started,
  );
}

async function udpPathMtu(
  executor: Executor,
  addr: string,
  opts: ResolvedPathMtuOptions,
  local: InterfaceMtu,
  max: number,
  min: number,
  prober: Prober,
  target: string,
  started: number,
): Promise<CheckResult<PathMtuEvidence>> {
  const v6 = addressFamily(addr) === 6;
  const run = await executor.run(
    'tracepath',
    [v6 ? '-6' : '-4', '-n', '-l', String(max), '-m', String(opts.maxHops), addr],
    { timeoutMs: opts.maxHops * 4000 + 5000 },
  );
  if (run.code !== 0 && !run.stdout.includes('Resume') && !run.stdout.includes('Too many hops')) {
    throw new NetcheckError('NETCHECK_TOOL_FAILED', `tracepath on ${executor.target} failed: ${run.stderr.trim()}`);
  }
  const trace = parseTracepath(run.stdout);
  const dropHop = trace.hops.find((h) => h.pmtu !== undefined && h.pmtu < max);
  const evidence: PathMtuEvidence = {
    method: 'udp',
    interface: local.interface,
    localMtu: local.mtu,
    pathMtu: trace.reached ? trace.pmtu : undefined,
    hop: dropHop?.address,
    dropsAt: trace.reached && trace.pmtu !== undefined && trace.pmtu < max ? trace.pmtu + 1 : undefined,
    probes: [],
    tracepath: trace,
  };
  if (trace.reached && trace.pmtu !== undefined) {
    if (trace.pmtu >= max) {
      return makeResult('path-mtu', target, 'ok', 'OK', `UDP path MTU ${trace.pmtu} matches ${local.interface} MTU ${local.mtu}`, evidence, started);
    }
    return lowerResult(evidence, opts, trace.pmtu, local.mtu, local.interface, target, started);
  }
  // Large UDP probes never arrived: a black hole if a small DF packet still gets through.
  const small = await prober(min);
  evidence.probes.push({ size: min, outcome: small });
  if (small.kind === 'reply') {
    evidence.pathMtu = min;
    const lastHop = [...trace.hops].reverse().find((h) => h.address !== undefined)?.address;
    if (lastHop !== undefined) evidence.hop = lastHop;
    return makeResult(
      'path-mtu',
      target,
      'fail',
      'PMTU_BLACKHOLE',
      `UDP probes of ${max} bytes to ${addr} vanish after ${lastHop ?? 'the first hop'} without ICMP "fragmentation needed", ` +
        `while ${min}-byte packets arrive: fix the fabric MTU or let ICMP type 3 code 4 through`,
      evidence,
      started,
    );
  }
  return makeResult('path-mtu', target, 'fail', 'TARGET_UNREACHABLE', `${addr} is unreachable over UDP and ICMP`, evidence, started);
}
