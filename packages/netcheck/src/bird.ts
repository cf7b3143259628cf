import { type Executor, ValidationError } from '@fleet/core';
import { NetcheckError } from './errors.js';
import { type CheckResult, makeResult, plural } from './result.js';

export interface BgpChannel {
  /** `ipv4`, `ipv6`, `vpn4` … */
  family: string;
  state: string;
  table: string | undefined;
  imported: number | undefined;
  exported: number | undefined;
  preferred: number | undefined;
}

/** One BGP protocol instance from `birdc show protocols all`. */
export interface BgpSession {
  name: string;
  /** BIRD's protocol state column: `up`, `start`, `down` … */
  protocolState: string;
  /** `Established`, `Active`, `Connect`, `OpenSent`, `Idle` … */
  bgpState: string;
  established: boolean;
  /** Since-column as printed (time of day or date and time). */
  since: string;
  /** Seconds since the last state change, when `since` could be read against `now`. */
  uptimeSeconds: number | undefined;
  info: string;
  neighborAddress: string | undefined;
  neighborAs: number | undefined;
  localAs: number | undefined;
  neighborId: string | undefined;
  lastError: string | undefined;
  /** Address family of the session transport: 6 when the neighbour address is IPv6. */
  transport: 4 | 6 | undefined;
  channels: BgpChannel[];
}

const HEADER = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+((?:\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}:\d{2}(?:\.\d+)?|\S+)\s*(.*)$/;

/**
 * Parses `birdc show protocols all` (BIRD 2) into typed BGP sessions; non-BGP protocols are skipped.
 * `now` resolves the time-of-day `Since` column into an uptime.
 */
export function parseBirdProtocols(output: string, now: Date = new Date()): BgpSession[] {
  const sessions: BgpSession[] = [];
  let current: BgpSession | undefined;
  let channel: BgpChannel | undefined;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (line === '' || /^BIRD .* ready\.$/.test(line) || /^Name\s+Proto\s+Table/.test(line)) continue;
    if (!/^\s/.test(line)) {
      channel = undefined;
      current = undefined;
      const m = HEADER.exec(line);
      if (m?.[2] !== 'BGP') continue;
      const info = (m[6] ?? '').trim();
      current = {
        name: m[1]!,
        protocolState: m[4]!,
        bgpState: info.split(/\s+/)[0] || 'unknown',
        established: false,
        since: m[5]!,
        uptimeSeconds: uptimeOf(m[5]!, now),
        info,
        neighborAddress: undefined,
        neighborAs: undefined,
        localAs: undefined,
        neighborId: undefined,
        lastError: undefined,
        transport: undefined,
        channels: [],
      };
      sessions.push(current);
      continue;
    }
    if (!current) continue;
    const kv = /^\s+([A-Za-z][A-Za-z0-9 ]*?):\s+(.*)$/.exec(line);
    const chan = /^\s+Channel (\S+)$/.exec(line);
    if (chan) {
      channel = { family: chan[1]!, state: 'unknown', table: undefined, imported: undefined, exported: undefined, preferred: undefined };
      current.channels.push(channel);
      continue;
    }
    if (!kv) continue;
    const [key, value] = [kv[1]!, kv[2]!.trim()];
    if (channel) {
      if (key === 'State') channel.state = value;
      else if (key === 'Table') channel.table = value;
      else if (key === 'Routes') {
        channel.imported = countOf(value, 'imported');
        channel.exported = countOf(value, 'exported');
        channel.preferred = countOf(value, 'preferred');
      }
      continue;
    }
    switch (key) {
      case 'BGP state':
        current.bgpState = value;
        break;
      case 'Neighbor address':
        current.neighborAddress = value.split('%')[0];
        current.transport = value.includes(':') ? 6 : 4;
        break;
      case 'Neighbor AS':
        current.neighborAs = Number(value);
        break;
      case 'Local AS':
        current.localAs = Number(value);
        break;
      case 'Neighbor ID':
        current.neighborId = value;
        break;
      case 'Last error':
        current.lastError = value;
        break;
    }
  }
  for (const s of sessions) s.established = s.bgpState === 'Established';
  return sessions;
}

function countOf(text: string, word: string): number | undefined {
  const m = new RegExp(`(\\d+) ${word}`).exec(text);
  return m ? Number(m[1]) : undefined;
}

function uptimeOf(since: string, now: Date): number | undefined {
  const full = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(since);
  if (full) {
    const t = Date.parse(`${full[1]}T${full[2]}`);
    return Number.isNaN(t) ? undefined : Math.max(0, Math.round((now.getTime() - t) / 1000));
  }
  const tod = /^(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(since);
  if (!tod) return undefined;
  // Time of day only (BIRD's default): in the last 24 h, in the local time zone BIRD printed it in.
  const then = new Date(now);
  then.setHours(Number(tod[1]), Number(tod[2]), 0, 0);
  let seconds = (now.getTime() - then.getTime()) / 1000 - Number(tod[3]);
  if (seconds < -1) seconds += 86_400;
  return Math.max(0, Math.round(seconds));
}

/** One route from `birdc show route all` / `show route export P all`. */
export interface BirdRoute {
  prefix: string;
  table: string | undefined;
  /** The protocol the route came from (`bgp_a1`, `static1`). */
  protocol: string;
  /** `from ADDR` for multihop/iBGP routes. */
  from: string | undefined;
  primary: boolean;
  nextHop: string | undefined;
  asPath: number[];
  /** Last AS of the path: the AS that originated the prefix (undefined for local routes). */
  originAs: number | undefined;
  kind: string;
}

const ROUTE_HEAD = /^(\S+\/\d+)?\s+(unicast|blackhole|unreachable|prohibited|multicast)\s+\[(\S+)\s+[^\]\s]+(?:\s+[^\]\s]+)?(?:\s+from\s+(\S+))?\]\s*(\*)?/;

/** Parses BIRD 2 route listings; continuation lines (`via`, `BGP.as_path`) attach to the route above. */
export function parseBirdRoutes(output: string): BirdRoute[] {
  const routes: BirdRoute[] = [];
  let table: string | undefined;
  let prefix: string | undefined;
  let current: BirdRoute | undefined;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const t = /^Table (\S+):$/.exec(line);
    if (t) {
      table = t[1];
      continue;
    }
    const head = ROUTE_HEAD.exec(line);
    if (head && (head[1] !== undefined || prefix !== undefined)) {
      if (head[1] !== undefined) prefix = head[1];
      current = {
        prefix: prefix!,
        table,
        protocol: head[3]!,
        from: head[4],
        primary: head[5] === '*',
        nextHop: undefined,
        asPath: [],
        originAs: undefined,
        kind: head[2]!,
      };
      routes.push(current);
      const as = /\[AS(\d+)[ie?]\]/.exec(line);
      if (as) current.originAs = Number(as[1]);
      continue;
    }
    if (!current) continue;
    const via = /^\s+via (\S+)/.exec(line);
    if (via && current.nextHop === undefined) current.nextHop = via[1];
    const path = /^\s+BGP\.as_path:\s*(.*)$/.exec(line);
    if (path) {
      current.asPath = (path[1] ?? '').split(/\s+/).filter((x) => /^\d+$/.test(x)).map(Number);
      current.originAs = current.asPath.at(-1) ?? current.originAs;
    }
  }
  return routes;
}

const SOCKET = /^\/[A-Za-z0-9_./-]+$/;
const PROTO = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function birdcArgs(socket: string | undefined): string[] {
  if (socket === undefined) return [];
  if (!SOCKET.test(socket) || socket.includes('..')) {
    throw new ValidationError('socket', `socket ${JSON.stringify(socket)} must be an absolute path of letters, digits, '_', '.', '-'`);
  }
  return ['-s', socket];
}

async function birdc(executor: Executor, socket: string | undefined, args: string[]): Promise<string> {
  const run = await executor.run('birdc', [...birdcArgs(socket), ...args], { timeoutMs: 30_000 });
  if (run.code !== 0 || /^Unable to connect/m.test(run.stdout + run.stderr)) {
    throw new NetcheckError('NETCHECK_TOOL_FAILED', `birdc ${args.join(' ')} on ${executor.target} failed: ${(run.stderr || run.stdout).trim().slice(0, 200)}`);
  }
  return run.stdout;
}

/** Reads BGP sessions from a running BIRD (`birdc [-s SOCKET] show protocols all`). */
export async function readBgpSessions(executor: Executor, socket?: string): Promise<BgpSession[]> {
  return parseBirdProtocols(await birdc(executor, socket, ['show', 'protocols', 'all']));
}

/** Reads BIRD's routes: all tables, or those exported to `protocol` (`show route export P all`). */
export async function readBirdRoutes(executor: Executor, options: { socket?: string; exportedTo?: string } = {}): Promise<BirdRoute[]> {
  const args = ['show', 'route'];
  if (options.exportedTo !== undefined) {
    if (!PROTO.test(options.exportedTo)) {
      throw new ValidationError('exportedTo', `exportedTo ${JSON.stringify(options.exportedTo)} is not a BIRD protocol name`);
    }
    args.push('export', options.exportedTo);
  }
  args.push('all');
  return parseBirdRoutes(await birdc(executor, options.socket, args));
}

export interface BgpCheckOptions {
  /** Only sessions whose name matches (default: all BGP sessions). */
  include?: (session: BgpSession) => boolean;
  /** Established for less than this many seconds is a warning (flapping); default 0 (off). */
  minUptimeSeconds?: number;
  /** A BGP speaker without any session is a failure (default true). */
  requireSessions?: boolean;
  from?: string;
}

export interface BgpEvidence {
  sessions: BgpSession[];
  down: string[];
}

/** Codes: `OK`; `BGP_SESSION_DOWN` (fail: any session not Established); `BGP_NO_SESSIONS`; `BGP_RECENT_FLAP` (warn). */
export function evaluateBgpSessions(sessions: BgpSession[], options: BgpCheckOptions = {}, startedAt = performance.now()): CheckResult<BgpEvidence> {
  const selected = options.include ? sessions.filter(options.include) : sessions;
  const down = selected.filter((s) => !s.established);
  const evidence: BgpEvidence = { sessions: selected, down: down.map((s) => s.name) };
  const target = `bgp on ${options.from ?? 'local'}`;
  if (selected.length === 0 && (options.requireSessions ?? true)) {
    return makeResult('bgp', target, 'fail', 'BGP_NO_SESSIONS', 'no BGP sessions configured', evidence, startedAt);
  }
  if (down.length > 0) {
    const list = down
      .map((s) => `${s.name} (${s.neighborAddress ?? '?'} AS${s.neighborAs ?? '?'}, IPv${s.transport ?? '?'}) ${s.bgpState}${s.lastError ? `: ${s.lastError}` : ''}`)
      .join('; ');
    return makeResult('bgp', target, 'fail', 'BGP_SESSION_DOWN', `${down.length} of ${plural(selected.length, 'session')} not Established: ${list}`, evidence, startedAt);
  }
  const min = options.minUptimeSeconds ?? 0;
  const young = selected.filter((s) => s.uptimeSeconds !== undefined && s.uptimeSeconds < min);
  if (young.length > 0) {
    return makeResult('bgp', target, 'warn', 'BGP_RECENT_FLAP', `${young.map((s) => s.name).join(', ')} established less than ${min} s ago`, evidence, startedAt);
  }
  const routes = selected.reduce((n, s) => n + s.channels.reduce((m, c) => m + (c.imported ?? 0), 0), 0);
  return makeResult('bgp', target, 'ok', 'OK', `${plural(selected.length, 'session')} Established, ${plural(routes, 'route')} imported`, evidence, startedAt);
}

/** Reads and evaluates the BGP sessions of the BIRD reachable through `executor`. */
export async function checkBgpSessions(executor: Executor, options: BgpCheckOptions & { socket?: string } = {}): Promise<CheckResult<BgpEvidence>> {
  const started = performance.now();
  const sessions = await readBgpSessions(executor, options.socket);
  return evaluateBgpSessions(sessions, { ...options, from: options.from ?? executor.target }, started);
}
