import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsulClient,
  type DriftFinding,
  type ExpectedNode,
  compareWithConsul,
  createConsul,
  formatDriftTable,
  readCatalog,
} from '../src/index.js';
import { type TestConsul, startTestConsul } from './consul-target.js';

// Two datacenters: a real agent for each when CONSUL_HTTP_ADDR / CONSUL_HTTP_ADDR_DC2 are set, doubles otherwise.
let lab: TestConsul;
let prod: TestConsul;
/** Nodes that were there before the test (the agents' own): never reported as unknown. */
const baseline: string[] = [];

async function register(consul: ConsulClient, node: string, address: string, checks: Array<[string, string]> = []) {
  await consul.catalog.register({
    node,
    address,
    service: { id: 'node-exporter', service: 'node-exporter', port: 9100, tags: ['metrics'] },
    checks: checks.map(([checkid, status]) => ({ checkid, name: checkid, status: status as 'passing' })),
  });
}

const nodes = ['lab-ok', 'lab-addr', 'lab-sick', 'stray', 'prod-ok', 'in-prod-not-lab', 'rogue'];

beforeAll(async () => {
  lab = await startTestConsul({ datacenter: 'lab', nodeName: 'consul-lab' });
  prod = await startTestConsul({ datacenter: 'prod', nodeName: 'consul-prod', addressVariable: 'CONSUL_HTTP_ADDR_DC2' });
  for (const t of [lab, prod]) baseline.push(...(await readCatalog(t.consul)).nodes.map((n) => n.name));
  await register(lab.consul, 'lab-ok', '10.1.0.1', [['ping', 'passing']]);
  await register(lab.consul, 'lab-addr', '10.1.0.99');
  await register(lab.consul, 'lab-sick', '10.1.0.3', [
    ['ping', 'passing'],
    ['disk', 'critical'],
  ]);
  await register(lab.consul, 'stray', '10.1.0.50');
  await register(prod.consul, 'prod-ok', '10.2.0.1', [['ping', 'passing']]);
  await register(prod.consul, 'in-prod-not-lab', '10.2.0.7');
  await register(prod.consul, 'rogue', '10.2.0.66', [['ping', 'warning']]);
});

afterAll(async () => {
  for (const t of [lab, prod]) {
    for (const node of nodes) await t.consul.catalog.deregister({ node }).catch(() => undefined);
    await t.close();
  }
});

const expected: ExpectedNode[] = [
  { name: 'lab-ok', datacenter: 'lab', addresses: ['10.1.0.1/24', 'fd00::1'] },
  { name: 'lab-addr', datacenter: 'lab', addresses: ['10.1.0.2'] },
  { name: 'lab-sick', datacenter: 'lab', addresses: ['10.1.0.3'] },
  { name: 'lab-missing', datacenter: 'lab', addresses: ['10.1.0.4'] },
  { name: 'prod-ok', datacenter: 'prod', addresses: ['10.2.0.1'] },
  { name: 'in-prod-not-lab', datacenter: 'lab', addresses: ['10.2.0.7'] },
];

function kinds(findings: DriftFinding[]): string[] {
  return findings.map((f) => `${f.kind}:${f.node}@${f.datacenter}`);
}

describe('readCatalog', () => {
  it('reads nodes with addresses, services and checks', async () => {
    const snap = await readCatalog(lab.consul);
    const sick = snap.nodes.find((n) => n.name === 'lab-sick');
    expect(sick).toMatchObject({ address: '10.1.0.3', services: [{ id: 'node-exporter', port: 9100, tags: ['metrics'] }] });
    expect(sick?.checks.map((c) => `${c.id}=${c.status}`).sort()).toEqual(['disk=critical', 'ping=passing']);
  });
});

describe('compareWithConsul', () => {
  it('reports every kind of difference across two datacenters', async () => {
    const report = await compareWithConsul({
      expected,
      datacenters: [
        { name: 'lab', consul: lab.consul, dc: '' },
        { name: 'prod', consul: prod.consul, dc: '' },
      ],
      ignore: baseline,
    });
    expect(kinds(report.findings)).toEqual([
      'absent:lab-missing@lab',
      'unknown:stray@lab',
      'unknown:rogue@prod',
      'address-mismatch:lab-addr@lab',
      'failing-checks:lab-sick@lab',
      'wrong-datacenter:in-prod-not-lab@prod',
    ]);
    expect(report.ok).toBe(false);
    expect(report.matching).toBe(2);
    expect(report.counts).toMatchObject({ absent: 1, 'address-mismatch': 1, 'failing-checks': 1, 'wrong-datacenter': 1 });
    const sick = report.findings.find((f) => f.kind === 'failing-checks');
    expect(sick?.kind === 'failing-checks' && sick.checks.map((c) => c.id)).toEqual(['disk']);
    const table = formatDriftTable(report);
    expect(table).toContain('address-mismatch  lab-addr');
    expect(table).toContain('registered at 10.1.0.99, expected 10.1.0.2');
    expect(table).toContain('disk: critical');
    expect(table).toMatch(/6 findings|findings \(/);
  });

  it('reports an unreachable datacenter once and does not call its nodes absent', async () => {
    const dead = createConsul({ port: 1, timeoutMs: 1000 });
    const report = await compareWithConsul({
      expected: [
        { name: 'prod-ok', datacenter: 'prod', addresses: ['10.2.0.1'] },
        { name: 'x', datacenter: 'gone', addresses: [] },
      ],
      datacenters: [
        { name: 'prod', consul: prod.consul, dc: '' },
        { name: 'gone', consul: dead },
      ],
      ignore: [...baseline, 'in-prod-not-lab', 'rogue'],
    });
    dead.destroy();
    expect(kinds(report.findings)).toEqual(['datacenter-unreachable:@gone']);
    expect(report.datacenters).toEqual([
      { name: 'prod', reachable: true, nodes: expect.any(Number) },
      expect.objectContaining({ name: 'gone', reachable: false }),
    ]);
    expect(formatDriftTable(report)).toContain('datacenter-unreachable');
  });

  it('says so plainly when nothing drifted', async () => {
    const report = await compareWithConsul({
      expected: [{ name: 'prod-ok', datacenter: 'prod', addresses: ['10.2.0.1'] }],
      datacenters: [{ name: 'prod', consul: prod.consul, dc: '' }],
      ignore: [...baseline, 'in-prod-not-lab', 'rogue'],
    });
    expect(report.ok).toBe(true);
    expect(formatDriftTable(report)).toBe('no drift: 1 expected nodes match Consul across 1 datacenters (prod)\n');
  });
});

describe.skipIf(Boolean(process.env.CONSUL_HTTP_ADDR))('multi-datacenter reads through one agent (?dc=)', () => {
  it('reads a federated datacenter through the local agent', async () => {
    lab.target.double!.addPeer({ datacenter: 'prod', url: prod.target.url });
    const snap = await readCatalog(lab.consul, 'prod');
    expect(snap.datacenter).toBe('prod');
    expect(snap.nodes.map((n) => n.name)).toContain('prod-ok');
    const report = await compareWithConsul({
      expected: [{ name: 'prod-ok', datacenter: 'prod', addresses: ['10.2.0.1'] }],
      datacenters: [{ name: 'prod', consul: lab.consul }],
      ignore: [...baseline, 'in-prod-not-lab', 'rogue'],
    });
    expect(report.ok).toBe(true);
  });
});
