import { describeError, formatTable } from '@fleet/core';
import { type CatalogCheck, type CatalogNodeInfo, type CatalogSnapshot, readCatalog } from './catalog.js';
import type { ConsulClient } from './client.js';

/** A node the inventory (MachineDB) says should exist. */
export interface ExpectedNode {
  name: string;
  datacenter: string;
  /** Addresses the node may register with in Consul (any one matches). Empty: address not checked. */
  addresses: readonly string[];
}

export interface DriftDatacenter {
  /** Datacenter name as the expected list uses it. */
  name: string;
  /** A client for an agent of this datacenter (or of any federated one). */
  consul: ConsulClient;
  /** Value for `?dc=`; default `name`. Set to `''` to use the agent's own datacenter without `?dc=`. */
  dc?: string;
}

export interface CompareWithConsulOptions {
  expected: readonly ExpectedNode[];
  datacenters: readonly DriftDatacenter[];
  /** Consul nodes never reported as unknown (Consul servers, monitoring boxes…): names or patterns. */
  ignore?: ReadonlyArray<string | RegExp>;
}

export type DriftFinding =
  | { kind: 'absent'; node: string; datacenter: string; expectedAddresses: string[] }
  | { kind: 'unknown'; node: string; datacenter: string; address: string }
  | { kind: 'address-mismatch'; node: string; datacenter: string; expectedAddresses: string[]; actualAddress: string }
  | { kind: 'failing-checks'; node: string; datacenter: string; checks: CatalogCheck[] }
  | { kind: 'wrong-datacenter'; node: string; datacenter: string; expectedDatacenter: string }
  | { kind: 'datacenter-unreachable'; node: ''; datacenter: string; error: string };

export type DriftKind = DriftFinding['kind'];

export const DRIFT_KINDS: readonly DriftKind[] = [
  'absent',
  'unknown',
  'address-mismatch',
  'failing-checks',
  'wrong-datacenter',
  'datacenter-unreachable',
];

export interface DriftDatacenterResult {
  name: string;
  reachable: boolean;
  /** Nodes Consul reported in this datacenter. */
  nodes: number;
  error?: string;
}

export interface DriftReport {
  checkedAt: string;
  datacenters: DriftDatacenterResult[];
  /** Sorted by kind, then datacenter, then node. */
  findings: DriftFinding[];
  counts: Record<DriftKind, number>;
  /** Expected nodes found where expected, at an expected address, with every check passing. */
  matching: number;
  ok: boolean;
}

function bareAddress(address: string): string {
  return address.trim().toLowerCase().replace(/\/\d+$/, '');
}

function addressMatches(node: CatalogNodeInfo, expected: readonly string[]): boolean {
  const wanted = new Set(expected.map(bareAddress));
  return wanted.has(bareAddress(node.address));
}

/**
 * Sets what Consul sees beside what the inventory expects, across datacenters: nodes expected but absent,
 * present but unknown, registered with an unexpected address, with failing checks, or in the wrong
 * datacenter. A datacenter that cannot be read is reported once and its expected nodes are not called
 * absent (we do not know).
 */
export async function compareWithConsul(options: CompareWithConsulOptions): Promise<DriftReport> {
  const reads = await Promise.all(
    options.datacenters.map(async (dc) => {
      try {
        const snapshot = await readCatalog(dc.consul, dc.dc === '' ? undefined : (dc.dc ?? dc.name));
        return { dc, snapshot, error: undefined };
      } catch (error) {
        return { dc, snapshot: undefined, error: describeError(error) };
      }
    }),
  );
  const ignored = (name: string) =>
    (options.ignore ?? []).some((rule) => (typeof rule === 'string' ? rule === name : rule.test(name)));
  const expectedByName = new Map<string, ExpectedNode>();
  for (const e of options.expected) expectedByName.set(e.name.toLowerCase(), e);
  const seen = new Map<string, Array<{ datacenter: string; node: CatalogNodeInfo }>>();
  const findings: DriftFinding[] = [];
  const datacenters: DriftDatacenterResult[] = [];
  const unreachable = new Set<string>();
  const snapshots = new Map<string, CatalogSnapshot>();

  for (const { dc, snapshot, error } of reads) {
    if (!snapshot) {
      unreachable.add(dc.name);
      datacenters.push({ name: dc.name, reachable: false, nodes: 0, error: error ?? 'unknown error' });
      findings.push({ kind: 'datacenter-unreachable', node: '', datacenter: dc.name, error: error ?? 'unknown error' });
      continue;
    }
    snapshots.set(dc.name, snapshot);
    datacenters.push({ name: dc.name, reachable: true, nodes: snapshot.nodes.length });
    for (const node of snapshot.nodes) {
      const key = node.name.toLowerCase();
      const list = seen.get(key) ?? [];
      list.push({ datacenter: dc.name, node });
      seen.set(key, list);
    }
  }

  let matching = 0;
  for (const expected of options.expected) {
    const places = seen.get(expected.name.toLowerCase()) ?? [];
    const home = places.find((p) => p.datacenter === expected.datacenter);
    for (const p of places) {
      if (p.datacenter !== expected.datacenter) {
        findings.push({
          kind: 'wrong-datacenter',
          node: expected.name,
          datacenter: p.datacenter,
          expectedDatacenter: expected.datacenter,
        });
      }
    }
    if (!home) {
      if (places.length === 0 && !unreachable.has(expected.datacenter)) {
        findings.push({
          kind: 'absent',
          node: expected.name,
          datacenter: expected.datacenter,
          expectedAddresses: [...expected.addresses],
        });
      }
      continue;
    }
    let good = true;
    if (expected.addresses.length > 0 && !addressMatches(home.node, expected.addresses)) {
      good = false;
      findings.push({
        kind: 'address-mismatch',
        node: expected.name,
        datacenter: home.datacenter,
        expectedAddresses: [...expected.addresses],
        actualAddress: home.node.address,
      });
    }
    const failing = home.node.checks.filter((c) => c.status !== 'passing');
    if (failing.length > 0) {
      good = false;
      findings.push({ kind: 'failing-checks', node: expected.name, datacenter: home.datacenter, checks: failing });
    }
    if (good && places.length === 1) matching += 1;
  }

  for (const [name, places] of seen) {
    if (expectedByName.has(name)) continue;
    for (const p of places) {
      if (ignored(p.node.name)) continue;
      findings.push({ kind: 'unknown', node: p.node.name, datacenter: p.datacenter, address: p.node.address });
    }
  }

  const order = new Map(DRIFT_KINDS.map((k, i) => [k, i]));
  findings.sort(
    (a, b) =>
      (order.get(a.kind) ?? 0) - (order.get(b.kind) ?? 0) ||
      a.datacenter.localeCompare(b.datacenter) ||
      a.node.localeCompare(b.node),
  );
  const counts = Object.fromEntries(DRIFT_KINDS.map((k) => [k, 0])) as Record<DriftKind, number>;
  for (const f of findings) counts[f.kind] += 1;
  return { checkedAt: new Date().toISOString(), datacenters, findings, counts, matching, ok: findings.length === 0 };
}

function detailOf(f: DriftFinding): string {
  switch (f.kind) {
    case 'absent':
      return `expected in Consul${f.expectedAddresses.length ? ` at ${f.expectedAddresses.join(', ')}` : ''}, not registered`;
    case 'unknown':
      return `registered at ${f.address}, not in the inventory`;
    case 'address-mismatch':
      return `registered at ${f.actualAddress}, expected ${f.expectedAddresses.join(' or ')}`;
    case 'failing-checks':
      return f.checks
        .map((c) => `${c.name || c.id}${c.serviceName ? ` (${c.serviceName})` : ''}: ${c.status}`)
        .join('; ');
    case 'wrong-datacenter':
      return `registered here, expected in ${f.expectedDatacenter}`;
    case 'datacenter-unreachable':
      return f.error;
  }
}

/** The findings as an aligned plain-text table: KIND, NODE, DATACENTER, DETAIL (no final newline). */
export function formatDriftFindings(findings: readonly DriftFinding[]): string {
  return formatTable(
    ['KIND', 'NODE', 'DATACENTER', 'DETAIL'],
    findings.map((f) => [f.kind, f.node || '-', f.datacenter, detailOf(f)]),
  );
}

/** Renders a report as an aligned plain-text table with a summary line. */
export function formatDriftTable(report: DriftReport): string {
  const dcs = report.datacenters.map((d) => d.name).join(', ');
  if (report.findings.length === 0) {
    return `no drift: ${report.matching} expected nodes match Consul across ${report.datacenters.length} datacenters (${dcs})\n`;
  }
  const summary = Object.entries(report.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  return `${formatDriftFindings(report.findings)}\n\n${report.findings.length} findings (${summary}); ${report.matching} nodes match; datacenters: ${dcs}\n`;
}
