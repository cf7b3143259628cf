import { validatePrefix } from './address.js';
import type { BirdRoute } from './bird.js';
import { type CheckResult, makeResult, plural } from './result.js';

/** One prefix announced by several hosts. */
export interface DuplicateAnnouncement {
  prefix: string;
  /** Who announces it: node names, BGP neighbours or origin ASNs, depending on the source. */
  announcers: string[];
}

export interface DuplicateEvidence {
  duplicates: DuplicateAnnouncement[];
  prefixes: number;
  allowed: string[];
}

export interface DuplicateOptions {
  /** Prefixes several hosts may announce by design (anycast DNS/NTP …). */
  allowed?: readonly string[];
  /** Names the view in results (`tor-a`, `route server`). */
  view?: string;
}

function evaluate(byPrefix: Map<string, Set<string>>, options: DuplicateOptions, started: number): CheckResult<DuplicateEvidence> {
  const allowed = (options.allowed ?? []).map((p) => validatePrefix(p, 'allowed'));
  const duplicates: DuplicateAnnouncement[] = [];
  for (const [prefix, who] of byPrefix) {
    if (who.size > 1 && !allowed.includes(prefix)) duplicates.push({ prefix, announcers: [...who].sort() });
  }
  duplicates.sort((a, b) => a.prefix.localeCompare(b.prefix));
  const evidence = { duplicates, prefixes: byPrefix.size, allowed };
  const target = options.view ?? 'routes';
  if (duplicates.length === 0) {
    return makeResult('duplicate-announcements', target, 'ok', 'OK', `${plural(byPrefix.size, 'prefix', 'prefixes')}, each from one announcer`, evidence, started);
  }
  const list = duplicates.map((d) => `${d.prefix} from ${d.announcers.join(' and ')}`).join('; ');
  return makeResult('duplicate-announcements', target, 'fail', 'DUPLICATE_ANNOUNCEMENT', `announced by more than one host: ${list}`, evidence, started);
}

/**
 * Duplicates in collected exports: `exports` maps a node name to the prefixes it announces
 * (e.g. from `show route export PROTO` on every node). Code `DUPLICATE_ANNOUNCEMENT` (fail).
 */
export function findDuplicateExports(
  exports: Readonly<Record<string, readonly string[]>>,
  options: DuplicateOptions = {},
): CheckResult<DuplicateEvidence> {
  const started = performance.now();
  const byPrefix = new Map<string, Set<string>>();
  for (const [node, prefixes] of Object.entries(exports)) {
    for (const p of prefixes) {
      const prefix = validatePrefix(p);
      byPrefix.set(prefix, (byPrefix.get(prefix) ?? new Set()).add(node));
    }
  }
  return evaluate(byPrefix, { view: 'node exports', ...options }, started);
}

export interface RouteDuplicateOptions extends DuplicateOptions {
  /**
   * Who counts as the announcer of a route: `neighbor` (the BGP peer it was learned from: right for a
   * ToR or route server peering with hosts directly; the default), `origin-as` (last AS of the path:
   * right for per-host ASNs seen further away), or a function.
   */
  announcer?: 'neighbor' | 'origin-as' | ((route: BirdRoute) => string | undefined);
  /** Maps a protocol name to its neighbour address (from readBgpSessions) for `neighbor` mode. */
  neighbors?: Readonly<Record<string, string>>;
}

/** Duplicates in the routes a ToR or route server sees (`show route all`): only BGP-learned routes count. */
export function findDuplicateRoutes(routes: readonly BirdRoute[], options: RouteDuplicateOptions = {}): CheckResult<DuplicateEvidence> {
  const started = performance.now();
  const mode = options.announcer ?? 'neighbor';
  const byPrefix = new Map<string, Set<string>>();
  for (const route of routes) {
    let who: string | undefined;
    if (typeof mode === 'function') who = mode(route);
    else if (mode === 'origin-as') who = route.originAs === undefined ? undefined : `AS${route.originAs}`;
    else if (route.asPath.length > 0 || route.originAs !== undefined) {
      who = route.from ?? options.neighbors?.[route.protocol] ?? route.protocol;
    }
    if (who === undefined) continue; // a local route, not an announcement
    const prefix = validatePrefix(route.prefix);
    byPrefix.set(prefix, (byPrefix.get(prefix) ?? new Set()).add(who));
  }
  return evaluate(byPrefix, { view: 'route table', ...options }, started);
}
