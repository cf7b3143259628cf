import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLocalCoordinator,
  createMemoryProgressStore,
  createRollout,
  createSimulatedFleet,
  createSqliteProgressStore,
  formatEvent,
  formatProgress,
  formatStatusJson,
  formatSummary,
  type HealthStatus,
  type RolloutEvent,
  type RolloutNode,
  type RolloutOptions,
  readRolloutStatus,
  runRollout,
  type SimulatedFleetOptions,
} from '../src/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rollout-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const nodes = (n: number, extra: (i: number) => Partial<RolloutNode> = () => ({})): RolloutNode[] =>
  Array.from({ length: n }, (_, i) => ({ name: `node-${i + 1}`, ...extra(i) }));

function setup(fleetOptions: SimulatedFleetOptions = {}, n = 8) {
  const fleet = createSimulatedFleet(fleetOptions);
  const base: RolloutOptions = {
    cluster: 'c1',
    targets: nodes(n),
    executorFor: (node) => fleet.executorFor(node),
    stateDir: dir,
    rebootPollMs: 5,
    postCheckIntervalMs: 5,
    batches: [1, 2, 3],
  };
  return { fleet, base };
}

const started = (events: readonly RolloutEvent[]) =>
  events
    .filter((e): e is Extract<RolloutEvent, { type: 'node-started' }> => e.type === 'node-started')
    .map((e) => e.node);

describe('runRollout with simulated nodes', () => {
  it('updates every node once, reboots only those that need it, and records everything', async () => {
    const { fleet, base } = setup({ nodes: { 'node-2': { update: 'reboot' } } });
    const bootBefore = fleet.bootId('node-2');
    const bootOther = fleet.bootId('node-3');
    const result = await runRollout(base);
    expect(result.state).toBe('done');
    expect(result.counts.done).toBe(8);
    for (const n of nodes(8)) expect(fleet.updates(n.name)).toBe(1);
    expect(fleet.bootId('node-2')).not.toBe(bootBefore);
    expect(fleet.bootId('node-3')).toBe(bootOther);
    expect(fleet.calls.filter((c) => c.kind === 'reboot').map((c) => c.node)).toEqual(['node-2']);
    expect(result.nodes.map((p) => p.batch)).toEqual([0, 1, 1, 2, 2, 2, 3, 3]);
    // Progress, events and per-node logs are on disk.
    const store = createSqliteProgressStore(join(dir, 'rollout.sqlite'));
    const status = await readRolloutStatus(store, 'c1');
    await store.close();
    expect(status?.state).toBe('done');
    expect(status?.nodes.every((p) => p.completedSteps.length === 7)).toBe(true);
    const log = readFileSync(join(dir, 'logs', 'c1', 'node-2.log'), 'utf8');
    expect(log).toMatch(/\$ systemctl reboot/);
    expect(log).toMatch(/boot id changed/);
    expect(log).toMatch(/\$ env DEBIAN_FRONTEND=noninteractive apt-get -y -o Dpkg::Options::=--force-confdef/);
    const events = readFileSync(join(dir, 'logs', 'c1', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(events.length).toBe(result.events.length);
    // The lock is released.
    expect(existsSync(join(dir, 'c1.lock'))).toBe(false);
  });

  it('stops everything when the canary fails', async () => {
    const { fleet, base } = setup({ nodes: { 'node-1': { update: 'fail' } } });
    const result = await runRollout({ ...base, maxFailures: 5 });
    expect(result.state).toBe('failed');
    expect(result.stopReason?.kind).toBe('canary');
    expect(started(result.events)).toEqual(['node-1']);
    expect(fleet.calls.every((c) => c.node === 'node-1')).toBe(true);
    expect(result.nodes[0]).toMatchObject({ state: 'failed', step: 'update', error: { code: 'ROLLOUT_STEP_FAILED' } });
    expect(result.counts).toMatchObject({ failed: 1, pending: 7 });
  });

  it('stops after maxFailures failed nodes and starts no node after that', async () => {
    const { base } = setup({ nodes: { 'node-3': { update: 'fail' }, 'node-5': { update: 'fail' } } });
    const result = await runRollout({ ...base, batches: [1], maxFailures: 2 });
    expect(result.stopReason).toMatchObject({ kind: 'error-budget', node: 'node-5' });
    expect(started(result.events)).toEqual(['node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
  });

  it('stops when more than maxFailPercent of a batch failed', async () => {
    const { base } = setup({ nodes: { 'node-2': { update: 'fail' } } }, 10);
    const result = await runRollout({ ...base, batches: [1, 4], maxFailures: 10, maxFailPercent: 20 });
    expect(result.stopReason).toMatchObject({ kind: 'error-budget' });
    expect(result.stopReason?.message).toMatch(/1 of 4 nodes of batch 1/);
    expect(started(result.events)).toEqual(['node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
  });

  it('a hanging update is killed at its timeout and fails the node', async () => {
    const { base } = setup({ nodes: { 'node-1': { update: 'hang' } } }, 2);
    const result = await runRollout({ ...base, updateTimeoutMs: 50 });
    expect(result.nodes[0]?.error).toMatchObject({ code: 'ROLLOUT_STEP_FAILED' });
    expect(result.nodes[0]?.error?.message).toMatch(/did not finish within 50 ms/);
  });

  it('halt mid-batch: the running node finishes its step, no new node starts, resume completes the rest', async () => {
    const { fleet, base } = setup({ commandMs: 3 });
    const store = createMemoryProgressStore();
    const rollout = createRollout({
      ...base,
      store,
      batches: [1, 4],
      maxParallel: 1,
      onEvent(event) {
        if (event.type === 'step-started' && event.node === 'node-3' && event.step === 'update')
          rollout.halt('stop now', 'alice');
      },
    });
    const result = await rollout.run();
    expect(result.state).toBe('halted');
    expect(result.stopReason).toMatchObject({ kind: 'halt-api', by: 'alice' });
    const stopAt = result.events.findIndex((e) => e.type === 'stopping');
    expect(result.events.slice(stopAt).some((e) => e.type === 'node-started')).toBe(false);
    expect(result.events.slice(stopAt).some((e) => e.type === 'step-started')).toBe(false);
    const node3 = result.nodes.find((p) => p.node === 'node-3')!;
    expect(node3).toMatchObject({ state: 'interrupted', completedSteps: ['precheck', 'drain', 'update'] });
    expect(formatSummary(result)).toMatch(/node-3\s+1\s+interrupted\s+reboot/);

    const again = await runRollout({ ...base, store, batches: [1, 4], maxParallel: 1 });
    expect(again.resumed).toBe(true);
    expect(again.state).toBe('done');
    expect(started(again.events)).toEqual(['node-3', 'node-4', 'node-5', 'node-6', 'node-7', 'node-8']);
    for (const n of nodes(8)) expect(fleet.updates(n.name)).toBe(1);
    // node-3 went on at the step after its last completed one.
    const node3Steps = again.events
      .filter((e) => e.type === 'step-started' && e.node === 'node-3')
      .map((e) => 'step' in e && e.step);
    expect(node3Steps).toEqual(['reboot', 'wait', 'postcheck', 'undrain']);
  });

  it('haltMode node lets running nodes finish all their steps', async () => {
    const { base } = setup();
    const rollout = createRollout({
      ...base,
      haltMode: 'node',
      store: createMemoryProgressStore(),
      onEvent(event) {
        if (event.type === 'step-started' && event.node === 'node-1' && event.step === 'drain') rollout.halt();
      },
    });
    const result = await rollout.run();
    expect(result.nodes[0]?.state).toBe('done');
    expect(result.counts.pending).toBe(7);
  });

  it('the halt file of the local coordinator stops a run and refuses a start until cleared', async () => {
    const { base } = setup({ commandMs: 2 });
    const coordinator = createLocalCoordinator(dir);
    const rollout = createRollout({
      ...base,
      onEvent(event) {
        if (event.type === 'node-started' && event.node === 'node-2')
          void coordinator.setHalt('c1', { by: 'bob', reason: 'pager' });
      },
    });
    const result = await rollout.run();
    expect(result.stopReason).toMatchObject({ kind: 'halt-key', by: 'bob', message: 'pager' });
    expect(started(result.events).length).toBeLessThan(8);
    await expect(runRollout(base)).rejects.toMatchObject({ code: 'ROLLOUT_HALTED' });
    await coordinator.clearHalt('c1');
    const resumed = await runRollout(base);
    expect(resumed.state).toBe('done');
  });

  it('refuses a second rollout of the same cluster, naming the holder', async () => {
    const { base } = setup();
    const coordinator = createLocalCoordinator(dir);
    const lock = await coordinator.lock('c1', 'carol@ops pid 1');
    try {
      await expect(runRollout(base)).rejects.toMatchObject({
        code: 'ROLLOUT_LOCKED',
        holder: expect.stringMatching(/carol@ops/),
      });
    } finally {
      await lock.release();
    }
  });

  it('stops on an anomaly: a bystander turning critical (not one that was critical at the start)', async () => {
    const { base } = setup({ commandMs: 1 });
    const health = new Map<string, HealthStatus>(nodes(8).map((n) => [n.name, 'passing']));
    health.set('node-8', 'critical');
    health.set('other', 'passing');
    const rollout = createRollout({
      ...base,
      store: createMemoryProgressStore(),
      health: { read: async () => new Map(health) },
      bystanders: ['other'],
      onEvent(event) {
        // The node being updated may go critical: that is not an anomaly.
        if (event.type === 'step-started' && event.node === 'node-2') health.set('node-2', 'critical');
        if (event.type === 'node-finished' && event.node === 'node-2') health.set('node-2', 'passing');
        if (event.type === 'node-started' && event.node === 'node-4') health.set('other', 'critical');
      },
    });
    const result = await rollout.run();
    expect(result.stopReason).toMatchObject({ kind: 'anomaly', node: 'other' });
    expect(started(result.events)).toEqual(['node-1', 'node-2', 'node-3', 'node-4']);
    expect(result.events.some((e) => e.type === 'warning' && e.node === 'node-8')).toBe(true);
  });

  it('a failing post-check stops the rollout whatever the error budget', async () => {
    const { base } = setup({ nodes: { 'node-2': { exitCodes: { 'systemctl is-active nova-compute': 3 } } } });
    const result = await runRollout({
      ...base,
      maxFailures: 10,
      postChecks: [{ kind: 'command', argv: ['systemctl', 'is-active', 'nova-compute'] }],
      postCheckTimeoutMs: 20,
    });
    expect(result.stopReason).toMatchObject({ kind: 'post-check', node: 'node-2' });
    expect(result.nodes[1]).toMatchObject({
      state: 'failed',
      step: 'postcheck',
      error: { code: 'ROLLOUT_CHECK_FAILED' },
    });
  });

  it('consul-health post-checks read the node health and need a health source', async () => {
    const { base } = setup({}, 2);
    expect(() => createRollout({ ...base, postChecks: [{ kind: 'consul-health' }] })).toThrow(/health source/);
    const health = new Map<string, HealthStatus>([
      ['node-1', 'passing'],
      ['n2-consul', 'warning'],
    ]);
    const result = await runRollout({
      ...base,
      targets: [{ name: 'node-1' }, { name: 'node-2', consulNode: 'n2-consul' }],
      health: { read: async () => health },
      postChecks: [{ kind: 'consul-health' }],
      postCheckTimeoutMs: 10,
      maxFailures: 5,
    });
    expect(result.nodes[0]?.state).toBe('done');
    expect(result.nodes[1]?.error?.message).toMatch(/n2-consul is warning/);
  });

  it('waits outside the maintenance window and starts nothing', async () => {
    const { base } = setup();
    const rollout = createRollout({
      ...base,
      windows: [{ days: ['sun'], start: '01:00', end: '02:00' }],
      now: () => new Date('2026-11-25T12:00:00Z'),
      healthIntervalMs: 10,
      onEvent(event) {
        if (event.type === 'waiting') setTimeout(() => rollout.halt(), 30);
      },
    });
    const result = await rollout.run();
    expect(result.events.find((e) => e.type === 'waiting')).toMatchObject({ until: '2026-11-29T01:00:00.000Z' });
    expect(started(result.events)).toEqual([]);
    expect(result.state).toBe('halted');
  });

  it('refuses to resume over a different target set unless fresh', async () => {
    const { base } = setup({ nodes: { 'node-1': { update: 'fail' } } }, 3);
    await runRollout(base);
    const other = { ...base, targets: nodes(4) };
    await expect(runRollout(other)).rejects.toMatchObject({ code: 'ROLLOUT_PLAN_MISMATCH' });
    const { base: ok } = setup({}, 4);
    const result = await runRollout({ ...ok, fresh: true });
    expect(result.state).toBe('done');
    expect(result.resumed).toBe(false);
  });

  it('keeps rack and quorum limits at every moment of the timeline', async () => {
    const targets = nodes(24, (i) => ({ rack: `r${i % 4}`, ...(i % 6 === 0 ? { groups: ['galera'] } : {}) }));
    const { base } = setup({ commandMs: 1 });
    const result = await runRollout({
      ...base,
      targets,
      batches: [1, 6, '50%'],
      maxPerRack: 2,
      quorumGroups: ['galera'],
      store: createMemoryProgressStore(),
    });
    expect(result.state).toBe('done');
    const rackOf = new Map(targets.map((n) => [n.name, n.rack!]));
    const galera = new Set(targets.filter((n) => n.groups?.includes('galera')).map((n) => n.name));
    const active = new Set<string>();
    let maxRack = 0;
    let maxGalera = 0;
    for (const e of result.events) {
      if (e.type === 'node-started') active.add(e.node);
      if (e.type === 'node-finished') active.delete(e.node);
      const perRack = new Map<string, number>();
      for (const n of active) perRack.set(rackOf.get(n)!, (perRack.get(rackOf.get(n)!) ?? 0) + 1);
      maxRack = Math.max(maxRack, ...perRack.values(), 0);
      maxGalera = Math.max(maxGalera, [...active].filter((n) => galera.has(n)).length);
    }
    expect(maxRack).toBe(2);
    expect(maxGalera).toBe(1);
  });

  it('formats events, progress and JSON', async () => {
    const { base } = setup({}, 2);
    const rollout = createRollout({ ...base, store: createMemoryProgressStore() });
    const result = await rollout.run();
    const lines = result.events.map(formatEvent);
    expect(lines[0]).toMatch(/rollout .* of c1 started by .*pid \d+: 2 nodes in 2 batches/);
    expect(lines.some((l) => /node-2 update ok/.test(l))).toBe(true);
    expect(formatProgress(result)[0]).toMatch(/c1 \[#+\] 2\/2 failed 0/);
    expect(JSON.parse(formatStatusJson(result)).counts.done).toBe(2);
    expect(rollout.snapshot()?.counts.done).toBe(2);
  });

  it('validates options, naming the field', () => {
    const { base } = setup();
    expect(() => createRollout({ ...base, cluster: 'Bad Name' })).toThrow(/cluster/);
    expect(() => createRollout({ ...base, targets: [{ name: 'a;b' }] })).toThrow(/targets\[0\]\.name/);
    expect(() => createRollout({ ...base, update: [['apt-get', 'a\nb']] })).toThrow(/update\[0\]\[1\]/);
    expect(() => createRollout({ ...base, rebootRequiredPath: 'relative' })).toThrow(/rebootRequiredPath/);
    expect(() => createRollout({ ...base, maxFailPercent: 101 })).toThrow(/maxFailPercent/);
    expect(() => createRollout({ ...base, postChecks: [{ kind: 'http', url: 'ftp://x' }] })).toThrow(
      /postChecks\[0\]\.url/,
    );
  });
});
