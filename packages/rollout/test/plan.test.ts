import { describe, expect, it } from 'vitest';
import { type RolloutNode, planRollout, quorumGroupsOf, resolveBatchSizes, selectTargets } from '../src/index.js';

const nodes = (n: number, extra: (i: number) => Partial<RolloutNode> = () => ({})): RolloutNode[] =>
  Array.from({ length: n }, (_, i) => ({ name: `node-${i + 1}`, ...extra(i) }));

describe('resolveBatchSizes', () => {
  it('turns counts and percentages into node counts, flooring and never below 1', () => {
    expect(resolveBatchSizes([1, 5, '20%'], 100)).toEqual([1, 5, 20]);
    expect(resolveBatchSizes(['10%'], 7)).toEqual([1]);
    expect(resolveBatchSizes(['33.5%'], 10)).toEqual([3]);
  });
  it('refuses bad sizes, naming them', () => {
    expect(() => resolveBatchSizes([], 10)).toThrow(/non-empty/);
    expect(() => resolveBatchSizes([0], 10)).toThrow(/batches\[0\]/);
    expect(() => resolveBatchSizes(['150%' as `${number}%`], 10)).toThrow(/batches\[0\]/);
    expect(() => resolveBatchSizes(['x' as `${number}%`], 10)).toThrow(/"x"/);
  });
});

describe('planRollout', () => {
  it('grows batches canary first and repeats the last size', () => {
    const plan = planRollout(nodes(40), { batches: [1, 5, '20%'] });
    expect(plan.batches.map((b) => b.nodes.length)).toEqual([1, 5, 8, 8, 8, 8, 2]);
    expect(plan.order).toEqual(nodes(40).map((n) => n.name));
    expect(plan.batches[0]!.nodes).toEqual(['node-1']);
  });

  it('never puts more than maxPerRack nodes of one rack in a batch', () => {
    const targets = nodes(12, (i) => ({ rack: `r${i % 3}` }));
    const plan = planRollout(targets, { batches: [1, 10], maxPerRack: 2 });
    const rackOf = new Map(targets.map((n) => [n.name, n.rack]));
    for (const batch of plan.batches) {
      const counts = new Map<string, number>();
      for (const name of batch.nodes) counts.set(rackOf.get(name)!, (counts.get(rackOf.get(name)!) ?? 0) + 1);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
    }
    expect(plan.batches.map((b) => b.nodes.length)).toEqual([1, 6, 5]);
    expect(new Set(plan.order).size).toBe(12);
  });

  it('puts at most one member of each quorum group (groups, tags, quorum: tags) in a batch', () => {
    const targets: RolloutNode[] = [
      { name: 'db-1', groups: ['galera'] },
      { name: 'db-2', groups: ['galera'] },
      { name: 'db-3', groups: ['galera'] },
      { name: 'mq-1', tags: ['quorum:rabbit'] },
      { name: 'mq-2', tags: ['quorum:rabbit'] },
      { name: 'web-1' },
      { name: 'web-2' },
    ];
    const plan = planRollout(targets, { batches: [10], quorumGroups: ['galera'] });
    expect(plan.batches.map((b) => b.nodes)).toEqual([['db-1', 'mq-1', 'web-1', 'web-2'], ['db-2', 'mq-2'], ['db-3']]);
    expect(plan.quorum['mq-1']).toEqual(['rabbit']);
    expect(quorumGroupsOf(targets[0]!, { quorumGroups: ['galera'] })).toEqual(['galera']);
  });

  it('refuses an empty target list and duplicates', () => {
    expect(() => planRollout([])).toThrow(expect.objectContaining({ code: 'ROLLOUT_NO_TARGETS' }));
    expect(() => planRollout([{ name: 'a' }, { name: 'a' }])).toThrow(/listed twice/);
  });
});

describe('selectTargets', () => {
  const inventory: RolloutNode[] = [
    { name: 'a', cluster: 'c1', role: 'compute', groups: ['g1'], tags: ['t1'], rack: 'r1' },
    { name: 'b', cluster: 'c1', role: 'storage', groups: ['g2'], tags: ['t1', 't2'], rack: 'r2' },
    { name: 'c', cluster: 'c2', role: 'compute', groups: ['g1'], rack: 'r1' },
  ];
  it('matches every given field, any value of a list', () => {
    expect(selectTargets(inventory, { cluster: 'c1' }).map((n) => n.name)).toEqual(['a', 'b']);
    expect(selectTargets(inventory, { roles: ['compute'] }).map((n) => n.name)).toEqual(['a', 'c']);
    expect(selectTargets(inventory, { cluster: 'c1', tags: ['t2'] }).map((n) => n.name)).toEqual(['b']);
    expect(selectTargets(inventory, { groups: ['g1'], racks: ['r1'], names: ['c'] }).map((n) => n.name)).toEqual(['c']);
    expect(selectTargets(inventory, {}).length).toBe(3);
  });
});
