import { createMachineDbClient } from '@fleet/machinedb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, runDemo } from '../src/demo.js';

// `pnpm demo` as the docs walk through it: failures, a node stuck past its timeout, drift against the
// Consul HTTP API test double, and where to look at the end.
describe('the demo with trouble in it', () => {
  let demo: DemoResult;
  const lines: string[] = [];
  beforeAll(async () => {
    demo = await runDemo({
      nodes: 6,
      failed: 1,
      stuck: true,
      installTimeoutSeconds: 1,
      consul: true,
      port: 0,
      write: (line) => lines.push(line),
    });
  }, 120_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('deploys the healthy nodes, fails one install and times the stuck one out', async () => {
    expect(demo.deployed).toHaveLength(4);
    expect(demo.failed).toHaveLength(2);
    expect(demo.failed).toContain(demo.stuck);
    const client = createMachineDbClient({ baseUrl: demo.url });
    const admin = client.withToken((await client.login(demo.admin)).token);
    try {
      const stuck = await admin.getNode(demo.stuck!);
      expect(stuck.state).toBe('failed');
      expect(stuck.stateReason).toMatch(/^timed out: installing for \d+ s \(limit 1 s\)$/);
      const [broken] = demo.failed.filter((id) => id !== demo.stuck);
      expect((await admin.getNode(broken!)).stateReason).toMatch(/partman/);
    } finally {
      await client.close();
    }
    expect(lines).toContain(`demo: 4 of 6 nodes deployed, 2 failed`);
  });

  it('has drift to show: an absent node, a stale address, a failing check and an unknown node', async () => {
    const auth = `Basic ${Buffer.from(`${demo.admin.username}:${demo.admin.password}`).toString('base64')}`;
    const res = await fetch(`${demo.url}/api/v1/drift`, { headers: { authorization: auth } });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { findings: Array<{ kind: string; node: string }> };
    const kinds = report.findings.map((f) => `${f.kind} ${f.node}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'absent cmp-0001',
        'address-mismatch cmp-0002',
        'failing-checks cmp-0003',
        'unknown cmp-0099',
      ]),
    );
    // Failed nodes are not expected in Consul: no finding names them.
    expect(kinds.some((k) => k.endsWith('cmp-0005') || k.endsWith('cmp-0006'))).toBe(false);
  });

  it('ends by saying where to look', () => {
    const at = lines.indexOf('demo: where to look');
    expect(at).toBeGreaterThan(0);
    const tail = lines.slice(at).join('\n');
    expect(tail).toContain(`${demo.url}/`);
    expect(tail).toContain('pnpm fleet nodes list --state failed');
    expect(tail).toContain('pnpm fleet drift');
    expect(tail).toContain('ansible-inventory -i examples/ansible-inventory/dist/inventory.js --graph');
  });
});
