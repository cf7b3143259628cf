import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLocalCoordinator,
  createMemoryProgressStore,
  createSqliteProgressStore,
  type NodeProgress,
  type ProgressStore,
  type RolloutRecord,
  readRolloutStatus,
} from '../src/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rollout-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const record: RolloutRecord = {
  cluster: 'c1',
  id: 'r1',
  holder: 'me',
  state: 'running',
  batches: [['a'], ['b', 'c']],
  createdAt: '2026-11-25T00:00:00.000Z',
  updatedAt: '2026-11-25T00:00:00.000Z',
};
const progress: NodeProgress = {
  node: 'b',
  batch: 1,
  state: 'running',
  step: 'update',
  completedSteps: ['precheck', 'drain'],
  attempts: 1,
};

describe.each([
  ['memory', () => createMemoryProgressStore()],
  ['sqlite', () => createSqliteProgressStore(join(dir, 'state', 'rollout.sqlite'))],
] as Array<[string, () => ProgressStore]>)('%s progress store', (_name, make) => {
  it('keeps records per cluster, overwrites nodes, and clears', async () => {
    const store = make();
    try {
      await store.writeRollout(record);
      await store.writeNode('c1', progress);
      await store.writeNode('c1', {
        ...progress,
        state: 'done',
        completedSteps: [...progress.completedSteps, 'update'],
      });
      await store.writeNode('c2', { ...progress, node: 'z' });
      const status = await readRolloutStatus(store, 'c1');
      expect(status?.nodes.map((p) => [p.node, p.state])).toEqual([
        ['a', 'pending'],
        ['b', 'done'],
        ['c', 'pending'],
      ]);
      expect(status?.counts).toMatchObject({ pending: 2, done: 1 });
      await store.clear('c1');
      expect(await readRolloutStatus(store, 'c1')).toBeUndefined();
      expect((await store.readNodes('c2')).length).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite store and local lock', () => {
  it('survives reopening (what a restarted orchestrator sees)', async () => {
    const file = join(dir, 'rollout.sqlite');
    const first = createSqliteProgressStore(file);
    await first.writeRollout(record);
    await first.writeNode('c1', progress);
    await first.close();
    const second = createSqliteProgressStore(file);
    expect((await readRolloutStatus(second, 'c1'))?.nodes[1]).toMatchObject({ node: 'b', step: 'update' });
    await second.close();
  });

  it('reports a state file it cannot open with ROLLOUT_STORE_FAILED', () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => createSqliteProgressStore(join(dir, 'file', 'rollout.sqlite'))).toThrow(
      expect.objectContaining({ code: 'ROLLOUT_STORE_FAILED' }),
    );
  });

  it('takes over a lock file left by a dead process, refuses a live holder', async () => {
    const coordinator = createLocalCoordinator(dir);
    writeFileSync(
      join(dir, 'c1.lock'),
      JSON.stringify({ holder: 'ghost', pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), at: 'then' }),
    );
    const lock = await coordinator.lock('c1', 'me');
    await expect(coordinator.lock('c1', 'other')).rejects.toMatchObject({
      code: 'ROLLOUT_LOCKED',
      holder: expect.stringMatching(/^me since/),
    });
    await lock.release();
    await (await coordinator.lock('c1', 'other')).release();
  });
});
