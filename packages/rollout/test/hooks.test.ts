import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createScriptedExecutor } from '@fleet/exec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryProgressStore,
  createRollout,
  createSimulatedFleet,
  type RolloutOptions,
  runRollout,
} from '../src/index.js';

// Hooks and checks of every kind; the HTTP checks hit an in-process server on 127.0.0.1.
let server: Server;
let url: string;
const hits: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.statusCode = req.url?.includes('sick') ? 503 : 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function base(names: string[]): RolloutOptions {
  const fleet = createSimulatedFleet();
  return {
    cluster: 'hooks',
    targets: names.map((name) => ({ name, host: `${name}.example` })),
    executorFor: (node) => fleet.executorFor(node),
    store: createMemoryProgressStore(),
    logDir: false,
    stateDir: '/nonexistent-never-written',
    coordinator: {
      lock: async () => ({ release: async () => {} }),
      readHalt: async () => undefined,
      watchHalt: () => ({ stop() {} }),
      setHalt: async () => {},
      clearHalt: async () => {},
    },
    postCheckIntervalMs: 5,
    postCheckTimeoutMs: 30,
    batches: [1],
    maxFailures: 5,
  };
}

describe('hooks and checks', () => {
  it('runs local drain commands with the node filled in, function hooks, and HTTP checks', async () => {
    const local = createScriptedExecutor([{ command: 'nova-disable', repeat: true }], 'local');
    const undrained: string[] = [];
    const result = await runRollout({
      ...base(['cmp-1', 'cmp-2']),
      localExecutor: local,
      drain: { argv: ['nova-disable', '--host', '{node}'], where: 'local' },
      undrain: async ({ node }) => {
        undrained.push(node.name);
      },
      preChecks: [{ kind: 'http', url: `${url}/ready/{node}` }],
      postChecks: [
        { kind: 'http', url: `${url}/health/{host}`, status: 200 },
        { kind: 'function', name: 'always', run: async () => {} },
      ],
    });
    expect(result.state).toBe('done');
    expect(local.calls.map((c) => c.line)).toEqual(['nova-disable --host cmp-1', 'nova-disable --host cmp-2']);
    expect(undrained).toEqual(['cmp-1', 'cmp-2']);
    expect(hits).toContain('/ready/cmp-1');
    expect(hits).toContain('/health/cmp-2.example');
  });

  it('a failing HTTP pre-check fails the node before anything changes on it', async () => {
    const local = createScriptedExecutor([{ command: 'nova-disable', repeat: true }], 'local');
    const result = await runRollout({
      ...base(['sick-1']),
      localExecutor: local,
      drain: { argv: ['nova-disable', '{node}'], where: 'local' },
      preChecks: [{ kind: 'http', url: `${url}/{node}` }],
    });
    expect(result.nodes[0]).toMatchObject({
      state: 'failed',
      step: 'precheck',
      error: { code: 'ROLLOUT_CHECK_FAILED' },
    });
    expect(result.nodes[0]?.error?.message).toMatch(/answered 503/);
    expect(local.calls).toEqual([]);
  });

  it('a local hook without a local executor fails with a clear message', async () => {
    const result = await runRollout({ ...base(['n-1']), drain: { argv: ['x'], where: 'local' } });
    expect(result.nodes[0]?.error?.message).toMatch(/no localExecutor was given/);
  });

  it('a function post-check that throws fails the node with its message and stops the rollout', async () => {
    const result = await runRollout({
      ...base(['n-1', 'n-2', 'n-3']),
      postChecks: [
        {
          kind: 'function',
          name: 'ceph',
          run: async ({ node }) => {
            if (node.name === 'n-2') throw new Error('HEALTH_ERR');
          },
        },
      ],
    });
    expect(result.stopReason).toMatchObject({ kind: 'post-check', node: 'n-2' });
    expect(result.nodes[1]?.error?.message).toMatch(/ceph: HEALTH_ERR/);
    expect(result.nodes[2]?.state).toBe('pending');
  });

  it('SIGINT halts the rollout when handleSignals is set, and the listener is removed afterwards', async () => {
    const before = new Set(process.listeners('SIGINT'));
    const rollout = createRollout({
      ...base(['n-1', 'n-2', 'n-3']),
      handleSignals: true,
      onEvent(event) {
        if (event.type === 'node-started' && event.node === 'n-2') {
          const added = process.listeners('SIGINT').filter((l) => !before.has(l));
          for (const listener of added) (listener as (s: NodeJS.Signals) => void)('SIGINT');
        }
      },
    });
    const result = await rollout.run();
    expect(result.stopReason).toMatchObject({ kind: 'signal', message: 'received SIGINT' });
    expect(result.state).toBe('halted');
    expect(result.nodes[2]?.state).toBe('pending');
    expect(process.listeners('SIGINT').filter((l) => !before.has(l))).toEqual([]);
  });
});
