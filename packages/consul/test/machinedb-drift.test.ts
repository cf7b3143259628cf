import type { Node, NodeState } from '@fleet/machinedb-contract';
import { type ConsulDouble, startConsulDouble } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsulClient, compareMachineDbWithConsul, createConsul, expectedFromNodes, formatDriftTable } from '../src/index.js';

// MachineDB nodes against Consul. A MachineDbClient as the source (paging through a real server) is tested
// in examples/server (test/drift-client.integ.test.ts), where the client and the server are both at hand.

function node(id: string, fields: { state?: NodeState; cluster?: string | null; site?: string; primary?: string; hostname?: string | null }): Node {
  const now = '2026-11-25T12:00:00.000Z';
  return {
    id,
    systemUuid: '4c4c4544-0000-4000-8000-000000000001',
    serial: null,
    macs: [],
    hostname: fields.hostname === undefined ? id : fields.hostname,
    fqdn: null,
    cluster: fields.cluster ?? null,
    roles: [],
    groups: [],
    tags: [],
    asn: null,
    location: fields.site ? { site: fields.site, rack: 'r1' } : null,
    systemDisk: null,
    bmc: null,
    addresses: [
      { purpose: 'bmc', address: '10.250.0.9', prefixLength: 16, gateway: null, pool: 'bmc' },
      ...(fields.primary ? [{ purpose: 'primary' as const, address: fields.primary, prefixLength: 24, gateway: null, pool: 'p' }] : []),
    ],
    state: fields.state ?? 'deployed',
    stateReason: null,
    stateSince: now,
    bootTarget: 'local',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

let lab: ConsulDouble;
let prod: ConsulDouble;
let labClient: ConsulClient;
let prodClient: ConsulClient;

beforeAll(async () => {
  lab = await startConsulDouble({ datacenter: 'lab', nodeName: 'consul-lab' });
  prod = await startConsulDouble({ datacenter: 'prod', nodeName: 'consul-prod' });
  labClient = createConsul({ port: lab.port });
  prodClient = createConsul({ port: prod.port });
  lab.registerNode({ node: 'web1', address: '10.1.0.1' });
  lab.setCheck({ node: 'web1', checkId: 'ping', status: 'passing' });
  lab.registerNode({ node: 'web2', address: '10.1.0.99' });
  lab.registerNode({ node: 'db1', address: '10.1.0.3' });
  lab.setCheck({ node: 'db1', checkId: 'disk', name: 'Disk space', status: 'critical', output: '97% used' });
  lab.registerNode({ node: 'ghost', address: '10.1.0.77' });
  prod.registerNode({ node: 'api1', address: '10.2.0.1' });
  prod.registerNode({ node: 'moved1', address: '10.2.0.5' });
});

afterAll(async () => {
  labClient.destroy();
  prodClient.destroy();
  await lab.close();
  await prod.close();
});

const datacenters = () => [
  { name: 'lab', consul: labClient },
  { name: 'prod', consul: prodClient },
];

describe('expectedFromNodes', () => {
  it('maps deployed nodes to name, datacenter (cluster, else site) and primary addresses', () => {
    const expected = expectedFromNodes([
      node('n1', { cluster: 'lab', primary: '10.1.0.1', hostname: 'web1' }),
      node('n2', { site: 'prod', primary: '10.2.0.1' }),
      node('n3', { state: 'inventoried', cluster: 'lab' }),
      node('n4', { cluster: null }),
      node('n5', { cluster: 'lab', hostname: null }),
    ]);
    expect(expected).toEqual([
      { name: 'web1', datacenter: 'lab', addresses: ['10.1.0.1'] },
      { name: 'n2', datacenter: 'prod', addresses: ['10.2.0.1'] },
      { name: 'n5', datacenter: 'lab', addresses: [] },
    ]);
  });
});

describe('compareMachineDbWithConsul across two datacenters (two Consul test doubles)', () => {
  it('reports absent, unknown, address mismatch, failing checks and wrong datacenter', async () => {
    const nodes = [
      node('n-web1', { hostname: 'web1', cluster: 'lab', primary: '10.1.0.1' }), // matches
      node('n-web2', { hostname: 'web2', cluster: 'lab', primary: '10.1.0.2' }), // address mismatch
      node('n-db1', { hostname: 'db1', cluster: 'lab', primary: '10.1.0.3' }), // failing check
      node('n-web3', { hostname: 'web3', cluster: 'lab', primary: '10.1.0.4' }), // absent
      node('n-api1', { hostname: 'api1', cluster: 'prod', primary: '10.2.0.1' }), // matches
      node('n-moved1', { hostname: 'moved1', cluster: 'lab', primary: '10.2.0.5' }), // wrong datacenter
      node('n-new', { hostname: 'new1', cluster: 'lab', state: 'installing' }), // not expected yet
    ];
    const report = await compareMachineDbWithConsul({
      source: nodes,
      datacenters: datacenters(),
      ignore: [/^consul-/],
    });
    expect(report.findings.map((f) => `${f.kind}:${f.node}@${f.datacenter}`)).toEqual([
      'absent:web3@lab',
      'unknown:ghost@lab',
      'address-mismatch:web2@lab',
      'failing-checks:db1@lab',
      'wrong-datacenter:moved1@prod',
    ]);
    expect(report.matching).toBe(2);
    const table = formatDriftTable(report);
    expect(table).toContain('Disk space: critical');
    expect(table).toContain('registered here, expected in lab');
  });

  it('reads nodes from an async iterable and from anything with iterateNodes, paging 500 at a time', async () => {
    const nodes = [node('n-web1', { hostname: 'web1', cluster: 'lab', primary: '10.1.0.1' }), node('n-web9', { hostname: 'web9', cluster: 'lab' })];
    async function* stream(): AsyncGenerator<Node> {
      yield* nodes;
    }
    const queries: Array<{ limit?: number }> = [];
    const source = {
      iterateNodes(query: { limit?: number }) {
        queries.push(query);
        return stream();
      },
    };
    for (const from of [stream(), source]) {
      const report = await compareMachineDbWithConsul({
        source: from,
        datacenters: [{ name: 'lab', consul: labClient }],
        ignore: [/^consul-/, 'web2', 'db1', 'ghost'],
      });
      expect(report.findings.map((f) => `${f.kind}:${f.node}`)).toEqual(['absent:web9']);
      expect(report.matching).toBe(1);
    }
    expect(queries).toEqual([{ limit: 500 }]);
  });
});
