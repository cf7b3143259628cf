import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConsulClient, closeConsul, createConsul } from '@fleet/consul';
import { type ConsulTarget, startConsulTarget } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearRolloutHalt,
  createConsulCoordinator,
  createConsulHealthSource,
  createConsulProgressStore,
  createMemoryProgressStore,
  createRollout,
  createSimulatedFleet,
  haltRollout,
  type RolloutEvent,
  type RolloutNode,
  type RolloutOptions,
  readRolloutStatus,
  runRollout,
} from '../src/index.js';

// Against the Consul test double, or a real agent when CONSUL_HTTP_ADDR is set.
let target: ConsulTarget;
let consul: ConsulClient;
let dir: string;

beforeAll(async () => {
  target = await startConsulTarget();
  consul = createConsul({
    host: target.host,
    port: target.port,
    secure: target.secure,
    ...(target.token ? { token: target.token } : {}),
  });
  dir = mkdtempSync(join(tmpdir(), 'rollout-consul-'));
});
afterAll(async () => {
  closeConsul(consul);
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

const uniqueCluster = () => `t${randomBytes(4).toString('hex')}`;
const nodes = (prefix: string, n: number): RolloutNode[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}-${i + 1}` }));
const started = (events: readonly RolloutEvent[]) => events.filter((e) => e.type === 'node-started').length;

function base(
  cluster: string,
  n: number,
  commandMs = 0,
): RolloutOptions & { fleet: ReturnType<typeof createSimulatedFleet> } {
  const fleet = createSimulatedFleet({ commandMs });
  return {
    fleet,
    cluster,
    targets: nodes(cluster, n),
    executorFor: (node) => fleet.executorFor(node),
    coordinator: createConsulCoordinator(consul),
    store: createConsulProgressStore(consul),
    stateDir: dir,
    logDir: false,
    batches: [1, 2],
    maxParallel: 1,
  };
}

async function register(node: string, status: 'passing' | 'critical') {
  await consul.catalog.register({
    node,
    address: '198.18.0.1',
    check: { checkid: 'serfHealth-test', name: 'node alive', status },
  } as never);
}

describe('rollout with Consul', () => {
  it('red button mid-batch: the halt key stops the rollout, no new node starts, resume finishes it', async () => {
    const cluster = uniqueCluster();
    const options = base(cluster, 6, 2);
    let haltedAt = 0;
    const rollout = createRollout({
      ...options,
      onEvent(event) {
        if (event.type === 'node-started' && event.node === `${cluster}-3`) {
          haltedAt = Date.now();
          void haltRollout(consul, cluster, { reason: 'pager went off', by: 'alice' });
        }
      },
    });
    const result = await rollout.run();
    expect(result.state).toBe('halted');
    expect(result.stopReason).toMatchObject({ kind: 'halt-key', by: 'alice', message: 'pager went off' });
    const stopping = result.events.find((e) => e.type === 'stopping')!;
    expect(stopping.at - haltedAt).toBeLessThan(1000);
    const after = result.events.slice(result.events.indexOf(stopping));
    expect(after.some((e) => e.type === 'node-started')).toBe(false);
    expect(started(result.events)).toBeLessThan(6);

    // Status is readable by anyone from Consul; a start is refused until the button is released.
    const status = await readRolloutStatus(createConsulProgressStore(consul), cluster);
    expect(status?.state).toBe('halted');
    await expect(runRollout(options)).rejects.toMatchObject({ code: 'ROLLOUT_HALTED' });
    await clearRolloutHalt(consul, cluster);
    const resumed = await runRollout(options);
    expect(resumed.resumed).toBe(true);
    expect(resumed.state).toBe('done');
    for (const n of options.targets) expect(options.fleet.updates(n.name)).toBe(1);
  });

  it('refuses a second rollout of the same cluster with the holder name', async () => {
    const cluster = uniqueCluster();
    const options = base(cluster, 3, 20);
    const first = createRollout({ ...options, holder: 'alice@ops1 pid 42' });
    const running = first.run();
    await new Promise((r) => setTimeout(r, 50));
    const err = await runRollout({ ...options, holder: 'bob@ops2' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ROLLOUT_LOCKED', holder: 'alice@ops1 pid 42' });
    expect((err as Error).message).toMatch(/alice@ops1 pid 42/);
    expect((await running).state).toBe('done');
    // Released at the end: a new rollout may take it.
    expect((await runRollout({ ...options, fresh: true })).state).toBe('done');
  });

  it('stops on an anomaly: a bystander turns critical in Consul', async () => {
    const cluster = uniqueCluster();
    const options = base(cluster, 5, 2);
    for (const n of options.targets) await register(n.name, 'passing');
    await register(`${cluster}-db`, 'passing');
    const result = await runRollout({
      ...options,
      health: createConsulHealthSource(consul),
      bystanders: [`${cluster}-db`],
      healthIntervalMs: 50,
      postChecks: [{ kind: 'consul-health' }],
      onEvent(event) {
        if (event.type === 'node-finished' && event.node === `${cluster}-2`) void register(`${cluster}-db`, 'critical');
      },
    });
    expect(result.stopReason).toMatchObject({ kind: 'anomaly', node: `${cluster}-db` });
    expect(result.counts.done).toBeGreaterThanOrEqual(2);
    expect(result.counts.pending).toBeGreaterThan(0);
    for (const n of options.targets) await consul.catalog.deregister({ node: n.name } as never);
    await consul.catalog.deregister({ node: `${cluster}-db` } as never);
  });

  it('stops when the red button cannot be read (Consul unreachable)', async (ctx) => {
    const double = target.double;
    if (!double) return ctx.skip(); // needs the double's outage switch
    const cluster = uniqueCluster();
    const options = base(cluster, 30, 5);
    let suspended: Promise<void> | undefined;
    const result = await runRollout({
      ...options,
      store: createMemoryProgressStore(),
      onEvent(event) {
        if (event.type === 'node-started' && event.node === `${cluster}-2`) suspended ??= double.suspend();
      },
    });
    await suspended;
    await double.resume();
    expect(result.stopReason).toMatchObject({ kind: 'anomaly' });
    expect(result.stopReason?.message).toMatch(/halt key could not be read/);
    expect(result.events.some((e) => e.type === 'warning' && /cannot watch the halt key/.test(e.message))).toBe(true);
    expect(result.counts.pending).toBeGreaterThan(0);
  });
});
