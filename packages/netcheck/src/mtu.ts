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

/** Where the bisection starts when no router names the MTU; see `searchPathMtu`. */
export interface PathMtuSearchOptions {
  /**
   * First size the bisection tries after a silent drop (default `min`): e.g. 1280 while `min` is the
   * 576-byte IPv4 reachability probe, so a black hole above 1280 costs no probes below it.
   */
  start?: number;
}

/**
 * Finds the largest packet that crosses the path with DF set, between `min` and `max`.
 *
 * Reachability first: the first probe is the smallest (`min`), so a silent host is reported after one
 * timeout. Then `max`; an ICMP "fragmentation needed" names the next MTU and is tried directly, also
 * below `min` (a 1200-byte tunnel under a 1280 minimum is reported as 1200, not as unreachable), so a
 * reporting path takes 3 probes. A silent drop is bisected from `start`: at most
 * ceil(log2(max - min)) + 3 probes, the last re-asking at the failing size, since routers rate-limit
 * ICMP errors.
 */
export async function searchPathMtu(
  prober: Prober,
  min: number,
  max: number,
  options: PathMtuSearchOptions = {},
): Promise<PathMtuSearch> {
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
  const named = (outcome: ProbeOutcome): number | undefined =>
    (outcome.kind === 'frag-needed' || outcome.kind === 'local-too-big') && outcome.mtu >= MIN_IP_MTU ? outcome.mtu : undefined;

  let ok = 0; // largest size known to pass (0: none yet)
  let fail = max + 1; // smallest size known to fail
  let failure: ProbeRecord | undefined;
  let hint: number | undefined = min;
  const start = options.start !== undefined && options.start > min && options.start < max ? options.start : undefined;
  while (fail - ok > 1) {
    let size: number;
    if (hint !== undefined && hint > ok && hint < fail) size = hint;
    else if (start !== undefined && start > ok && start < fail) size = start;
    else size = Math.floor((ok + fail) / 2);
    const first = probes.length === 0;
    hint = undefined;
    const outcome = await probe(size);
    if (outcome.kind === 'reply') {
      ok = size;
      if (first) hint = max;
      continue;
    }
    fail = size;
    failure = { size, outcome };
    const mtu = named(outcome);
    if (mtu !== undefined && mtu < size) {
      // The router vouches that anything above its MTU fails at it: try exactly that size next.
      hint = mtu;
      fail = mtu + 1;
      continue;
    }
    if (ok === 0) break; // the smallest probe got no answer (or an error): nothing to bisect
    if (outcome.kind === 'unreachable') break; // a path that refuses every size has no MTU to find
  }
  // Routers rate-limit ICMP errors: before calling a path silent, ask once more at the failing size.
  if (failure?.outcome.kind === 'timeout' && ok > 0) {
    const again = await probe(failure.size);
    if (again.kind !== 'timeout' && again.kind !== 'reply') failure = { size: failure.size, outcome: again };
  }
  return {
    pathMtu: ok > 0 ? ok : undefined,
    dropsAt: fail <= max && ok > 0 ? fail : undefined,
    firstFailure: failure,
    hop,
    fragNeededMtu,
    probes,
  };
}

/** The smallest MTU an IPv4 link may have (RFC 791); IPv6 links carry at least 1280. */
const MIN_IP_MTU = 68;

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
  /**
   * Where the search of a path that drops big packets silently starts (default 1280, or `maxMtu` when
   * that is lower). Not a floor: a path MTU below it is still measured and reported as `PATH_MTU_LOWER`.
   */
  minMtu?: number;
  /** Largest size searched (default 9216); capped by the local interface MTU. */
  maxMtu?: number;
  /** Below this path MTU the result is `fail` rather than `warn` (e.g. 9000 where jumbo frames are required). */
  requiredMtu?: number;
  /** Per-probe wait (default 1000 ms). */
  probeTimeoutMs?: number;
  /** Hop limit for UDP probes (default 8). */
  maxHops?: number;
  /**
   * The kernel's cached path MTU for the target (learned from an earlier "fragmentation needed"; kept
   * up to 10 minutes) answers probes locally and hides a black hole added since. `clear` (default)
   * removes it before probing: `ip -6 route flush cache ADDR` for IPv6; for IPv4 the kernel has no
   * per-destination flush, so `ip -4 route flush cache` clears the learned PMTUs of the whole host or
   * namespace (other destinations relearn theirs on their next big packet). Needs root
   * (CAP_NET_ADMIN) where the check runs. `keep` trusts the cache (no root needed) and says so.
   */
  pmtuCache?: 'clear' | 'keep';
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
  pmtuCache: 'clear' | 'keep';
  from: string | undefined;
  local: InterfaceMtu | undefined;
}

export function resolvePathMtuOptions(options: PathMtuOptions = {}): ResolvedPathMtuOptions {
  const method = options.method ?? 'icmp';
  if (method !== 'icmp' && method !== 'udp') throw new ValidationError('method', `method must be 'icmp' or 'udp', got ${JSON.stringify(method)}`);
  const pmtuCache = options.pmtuCache ?? 'clear';
  if (pmtuCache !== 'clear' && pmtuCache !== 'keep') {
    throw new ValidationError('pmtuCache', `pmtuCache must be 'clear' or 'keep', got ${JSON.stringify(pmtuCache)}`);
  }
  const maxMtu = validateInteger(options.maxMtu ?? 9216, 'maxMtu', 576, 65535);
  const minMtu = validateInteger(options.minMtu ?? Math.min(1280, maxMtu), 'minMtu', 576, 65535);
  if (minMtu > maxMtu) throw new ValidationError('minMtu', `minMtu ${minMtu} is above maxMtu ${maxMtu}: lower minMtu or raise maxMtu`);
  const requiredMtu = options.requiredMtu === undefined ? undefined : validateInteger(options.requiredMtu, 'requiredMtu', 576, 65535);
  return {
    method,
    minMtu,
    maxMtu,
    requiredMtu,
    probeTimeoutMs: validateInteger(options.probeTimeoutMs ?? 1000, 'probeTimeoutMs', 50, 60_000),
    maxHops: validateInteger(options.maxHops ?? 8, 'maxHops', 1, 64),
    pmtuCache,
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
  /** Whether the kernel's cached path MTU was cleared before probing (`pmtuCache`). */
  pmtuCache: 'cleared' | 'kept';
  probes: ProbeRecord[];
  tracepath?: TracepathReport;
}

/** The smallest packet each family must carry: the first probe, which tells reachability. */
function reachabilitySize(v6: boolean, minMtu: number, max: number): number {
  return Math.min(v6 ? 1280 : 576, minMtu, max);
}

/**
 * Forgets the path MTU the kernel learned for `address` where `executor` runs, so probes cross the path
 * instead of being answered from the cache. IPv6: that destination only; IPv4: every learned PMTU of the
 * host or namespace (the kernel offers no per-destination flush).
 */
async function clearPmtuCache(executor: Executor, address: string): Promise<void> {
  const v6 = addressFamily(address) === 6;
  const run = await executor.run('ip', v6 ? ['-6', 'route', 'flush', 'cache', address] : ['-4', 'route', 'flush', 'cache']);
  if (run.code !== 0) {
    throw new NetcheckError(
      'NETCHECK_TOOL_FAILED',
      `cannot clear the cached path MTU for ${address} on ${executor.target} (${run.stderr.trim() || `exit ${run.code}`}): ` +
        `run the check as root, or pass pmtuCache 'keep' and accept that a cached value can hide a black hole`,
    );
  }
}

/**
 * Path MTU from the executor's host to `address`, compared with the local interface MTU.
 * Codes: `OK`; `PATH_MTU_LOWER` (warn, or fail under `requiredMtu`) when a router reports a smaller MTU,
 * also below `minMtu`; `PMTU_BLACKHOLE` (fail) when large DF packets vanish without any ICMP
 * "fragmentation needed"; `TARGET_UNREACHABLE` (fail) when not even the smallest probe gets through;
 * `UDP_PROBES_UNANSWERED` (warn, `udp` only) when tracepath gets no answer but DF pings of every size do.
 */
export async function checkPathMtu(
  executor: Executor,
  address: string,
  options: PathMtuOptions = {},
): Promise<CheckResult<PathMtuEvidence>> {
  const started = performance.now();
  const addr = validateAddress(address);
  const opts = resolvePathMtuOptions(options);
  const v6 = addressFamily(addr) === 6;
  const target = `${addr} from ${opts.from ?? executor.target}`;
  if (opts.pmtuCache === 'clear') await clearPmtuCache(executor, addr);
  const local = opts.local ?? (await readInterfaceMtu(executor, addr));
  const max = Math.min(opts.maxMtu, local.mtu);
  const start = Math.min(opts.minMtu, max);
  const smallest = reachabilitySize(v6, opts.minMtu, max);
  const evidence: PathMtuEvidence = {
    method: opts.method,
    interface: local.interface,
    localMtu: local.mtu,
    pathMtu: undefined,
    hop: undefined,
    dropsAt: undefined,
    pmtuCache: opts.pmtuCache === 'clear' ? 'cleared' : 'kept',
    probes: [],
  };
  const done = (status: 'ok' | 'warn' | 'fail', code: string, summary: string) =>
    makeResult('path-mtu', target, status, code, summary, evidence, started);
  const ping = createPingProber(executor, addr, opts.probeTimeoutMs);
  const search = async (prober: Prober): Promise<PathMtuSearch> => {
    const found = await searchPathMtu(prober, smallest, max, { start });
    evidence.pathMtu = found.pathMtu;
    evidence.dropsAt = found.dropsAt;
    evidence.hop = found.hop;
    evidence.probes = found.probes;
    return found;
  };
  const unreachable = (found: PathMtuSearch, how: string) => {
    const why = found.firstFailure?.outcome;
    const detail = why?.kind === 'unreachable' ? `: ${why.message}${why.from ? ` from ${why.from}` : ''}` : '';
    return done('fail', 'TARGET_UNREACHABLE', `${addr} answers no ${how}, not even ${smallest} bytes${detail}`);
  };

  if (opts.method === 'icmp') {
    const found = await search(ping);
    if (found.pathMtu === undefined) return unreachable(found, 'probe');
    if (found.pathMtu >= max) return done('ok', 'OK', `path MTU ${found.pathMtu} matches ${local.interface} MTU ${local.mtu}`);
    if (found.firstFailure?.outcome.kind === 'timeout') return blackhole(done, addr, found.pathMtu, local, '');
    return done(...lowerVerdict(evidence, opts, found.pathMtu, local));
  }

  // UDP: reachability first with the smallest DF ping, so a silent host costs one timeout, not a trace.
  const first = await ping(smallest);
  let replay: ProbeOutcome | undefined = first;
  const prober: Prober = (size) => {
    const outcome = size === smallest ? replay : undefined;
    replay = undefined;
    return outcome !== undefined ? Promise.resolve(outcome) : ping(size);
  };
  if (first.kind !== 'reply' && !(first.kind === 'frag-needed' || first.kind === 'local-too-big')) {
    const found = await search(prober);
    return unreachable(found, 'probe');
  }
  const run = await executor.run('tracepath', [v6 ? '-6' : '-4', '-n', '-l', String(max), '-m', String(opts.maxHops), addr], {
    timeoutMs: opts.maxHops * 4000 + 5000,
  });
  if (run.code !== 0 && !run.stdout.includes('Resume') && !run.stdout.includes('Too many hops')) {
    throw new NetcheckError('NETCHECK_TOOL_FAILED', `tracepath on ${executor.target} failed: ${run.stderr.trim()}`);
  }
  const trace = parseTracepath(run.stdout);
  evidence.tracepath = trace;
  evidence.probes = [{ size: smallest, outcome: first }];
  if (trace.reached && trace.pmtu !== undefined) {
    evidence.pathMtu = trace.pmtu;
    evidence.dropsAt = trace.pmtu < max ? trace.pmtu + 1 : undefined;
    evidence.hop = trace.hops.find((h) => h.pmtu !== undefined && h.pmtu < max)?.address;
    if (trace.pmtu >= max) return done('ok', 'OK', `UDP path MTU ${trace.pmtu} matches ${local.interface} MTU ${local.mtu}`);
    return done(...lowerVerdict(evidence, opts, trace.pmtu, local));
  }
  // The UDP probes never arrived: size the drop with the same DF search as ICMP, so both methods report
  // the same pathMtu and dropsAt.
  const found = await search(prober);
  if (found.pathMtu === undefined) return unreachable(found, 'UDP or ICMP probe');
  const lastHop = [...trace.hops].reverse().find((h) => h.address !== undefined)?.address;
  if (found.pathMtu >= max) {
    return done(
      'warn',
      'UDP_PROBES_UNANSWERED',
      `tracepath's UDP probes to ${addr} got no answer after ${lastHop ?? 'the first hop'} while ${max}-byte DF pings arrive: ` +
        `a firewall drops UDP or its ICMP port-unreachable; path MTU ${found.pathMtu} by ICMP`,
    );
  }
  if (found.firstFailure?.outcome.kind === 'timeout') {
    evidence.hop = lastHop;
    return blackhole(done, addr, found.pathMtu, local, ` after ${lastHop ?? 'the first hop'}`);
  }
  return done(...lowerVerdict(evidence, opts, found.pathMtu, local));
}

function blackhole(
  done: (status: 'fail', code: string, summary: string) => CheckResult<PathMtuEvidence>,
  addr: string,
  pathMtu: number,
  local: InterfaceMtu,
  where: string,
): CheckResult<PathMtuEvidence> {
  return done(
    'fail',
    'PMTU_BLACKHOLE',
    `packets above ${pathMtu} bytes to ${addr} vanish${where} without ICMP "fragmentation needed" ` +
      `(${local.interface} MTU ${local.mtu}): a router drops them silently or the ICMP is filtered; ` +
      `fix the fabric MTU or let ICMP type 3 code 4 / ICMPv6 type 2 through`,
  );
}

function lowerVerdict(
  evidence: PathMtuEvidence,
  opts: ResolvedPathMtuOptions,
  pathMtu: number,
  local: InterfaceMtu,
): ['warn' | 'fail', string, string] {
  const fromCache =
    evidence.pmtuCache === 'kept' &&
    (evidence.probes.some((p) => p.outcome.kind === 'local-too-big') ||
      (evidence.tracepath?.localPmtu !== undefined && evidence.tracepath.localPmtu < local.mtu));
  const cached = fromCache ? " (answered from the kernel's cached PMTU: pmtuCache 'keep')" : '';
  const where = evidence.hop ? ` at ${evidence.hop}` : '';
  const status = opts.requiredMtu !== undefined && pathMtu < opts.requiredMtu ? 'fail' : 'warn';
  const need = opts.requiredMtu !== undefined ? `, ${opts.requiredMtu} required` : '';
  const below = pathMtu < opts.minMtu ? `, below minMtu ${opts.minMtu}` : '';
  return [
    status,
    'PATH_MTU_LOWER',
    `path MTU drops to ${pathMtu}${where} (${local.interface} MTU ${local.mtu}${need}${below}); PMTU discovery works${cached}`,
  ];
}
