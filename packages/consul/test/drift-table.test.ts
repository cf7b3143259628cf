import { describe, expect, it } from 'vitest';
import { type DriftFinding, formatDriftFindings } from '../src/index.js';

describe('formatDriftFindings', () => {
  it('renders KIND, NODE, DATACENTER, DETAIL (the one column order of `fleet drift` and formatDriftTable)', () => {
    const findings: DriftFinding[] = [
      { kind: 'absent', node: 'cmp-0001', datacenter: 'lab', expectedAddresses: ['10.20.0.3'] },
      { kind: 'unknown', node: 'cmp-0099', datacenter: 'lab', address: '10.20.3.250' },
      { kind: 'failing-checks', node: 'cmp-0003', datacenter: 'prod', checks: [{ id: 'serfHealth', name: 'Serf Health Status', status: 'critical' }] },
    ] as DriftFinding[];
    expect(formatDriftFindings(findings)).toBe(
      [
        'KIND            NODE      DATACENTER  DETAIL',
        'absent          cmp-0001  lab         expected in Consul at 10.20.0.3, not registered',
        'unknown         cmp-0099  lab         registered at 10.20.3.250, not in the inventory',
        'failing-checks  cmp-0003  prod        Serf Health Status: critical',
      ].join('\n'),
    );
  });
});
