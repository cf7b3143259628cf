import type { BgpSession } from './bird.js';
import { type CheckResult, type CheckStatus, makeResult, plural, worstStatus } from './result.js';

/** What is known about one node's ASN: from its configuration and from live BGP. */
export interface AsnNode {
  name: string;
  /** The ASN the node's BGP config declares (`local as N` in bird.conf, or the MachineDB record). */
  configuredAsn?: number;
  /** ASNs seen live: the node's own sessions' Local AS, or what its ToR sees as Neighbor AS. */
  observedAsns?: readonly number[];
}

export interface AsnPolicyOptions<N extends AsnNode> {
  /** The policy (from @fleet/bootconfig): the ASN a node must use, or undefined when it has none. */
  expectedAsn: (node: N) => number | undefined;
  /** Every node must have its own ASN (per-node ASN schemes); default false (per-rack schemes share). */
  unique?: boolean;
}

export interface AsnFinding {
  node: string;
  code: 'OK' | 'ASN_MISMATCH' | 'ASN_NOT_OBSERVED' | 'ASN_NO_POLICY' | 'ASN_DUPLICATE';
  status: CheckStatus;
  expected: number | undefined;
  configured: number | undefined;
  observed: number[];
  message: string;
}

export interface AsnEvidence {
  findings: AsnFinding[];
}

/**
 * Compares each node's configured and observed ASNs with the policy. Codes: `OK`, `ASN_MISMATCH` (fail),
 * `ASN_DUPLICATE` (fail when `unique`), `ASN_NO_POLICY` and `ASN_NOT_OBSERVED` (warn).
 */
export function checkAsnPolicy<N extends AsnNode>(nodes: readonly N[], options: AsnPolicyOptions<N>): CheckResult<AsnEvidence> {
  const started = performance.now();
  const findings: AsnFinding[] = [];
  for (const node of nodes) {
    const expected = options.expectedAsn(node);
    const observed = [...new Set(node.observedAsns ?? [])];
    const base = { node: node.name, expected, configured: node.configuredAsn, observed };
    const wrong = [node.configuredAsn, ...observed].filter((a): a is number => a !== undefined && a !== expected);
    if (expected === undefined) {
      findings.push({ ...base, code: 'ASN_NO_POLICY', status: 'warn', message: `${node.name}: the policy gives no ASN` });
    } else if (wrong.length > 0) {
      const parts = [
        node.configuredAsn !== undefined && node.configuredAsn !== expected ? `configured AS${node.configuredAsn}` : '',
        observed.some((a) => a !== expected) ? `observed AS${observed.filter((a) => a !== expected).join('/AS')}` : '',
      ].filter(Boolean);
      findings.push({ ...base, code: 'ASN_MISMATCH', status: 'fail', message: `${node.name}: ${parts.join(', ')}; policy says AS${expected}` });
    } else if (node.configuredAsn === undefined && observed.length === 0) {
      findings.push({ ...base, code: 'ASN_NOT_OBSERVED', status: 'warn', message: `${node.name}: no configured or observed ASN to compare with AS${expected}` });
    } else {
      findings.push({ ...base, code: 'OK', status: 'ok', message: `${node.name}: AS${expected}` });
    }
  }
  if (options.unique) {
    const owners = new Map<number, string[]>();
    for (const f of findings) {
      for (const asn of new Set([f.configured, ...f.observed].filter((a): a is number => a !== undefined))) {
        owners.set(asn, [...(owners.get(asn) ?? []), f.node]);
      }
    }
    for (const [asn, names] of owners) {
      if (names.length < 2) continue;
      for (const f of findings) {
        if (names.includes(f.node) && f.status !== 'fail') {
          Object.assign(f, { code: 'ASN_DUPLICATE', status: 'fail', message: `${f.node}: AS${asn} is also used by ${names.filter((n) => n !== f.node).join(', ')}` });
        }
      }
    }
  }
  const status = worstStatus(findings.map((f) => f.status));
  const bad = findings.filter((f) => f.status !== 'ok');
  const code = bad.find((f) => f.status === 'fail')?.code ?? bad[0]?.code ?? 'OK';
  const summary = bad.length === 0 ? `${plural(findings.length, 'node')} ${findings.length === 1 ? 'matches' : 'match'} the ASN policy` : bad.map((f) => f.message).join('; ');
  return makeResult('asn-policy', plural(nodes.length, 'node'), status, code, summary, { findings }, started);
}

/** The Local AS values of a node's own BGP sessions: its observed ASN. */
export function localAsnsOf(sessions: readonly BgpSession[]): number[] {
  return [...new Set(sessions.map((s) => s.localAs).filter((a): a is number => a !== undefined))];
}

/** The `local … as N` ASNs declared in a bird.conf text: its configured ASN. */
export function configuredAsnsOf(birdConfig: string): number[] {
  const found = new Set<number>();
  for (const m of birdConfig.matchAll(/(?:^|[{;\s])local\b[^;\n]*?\bas\s+(\d+)\s*;/gm)) found.add(Number(m[1]));
  return [...found];
}
