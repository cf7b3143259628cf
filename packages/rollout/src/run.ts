import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describeError, type Executor, sleep, ValidationError } from '@fleet/core';
import { RolloutError } from './errors.js';
import { createLocalCoordinator } from './local-coordinator.js';
import { discardNodeLog, openNodeLog } from './node-log.js';
import { type NodeOutcome, runNode } from './node-run.js';
import {
  type HealthStatus,
  type ResolvedRolloutOptions,
  type RolloutCoordinator,
  type RolloutLock,
  type RolloutOptions,
  resolveRolloutOptions,
} from './options.js';
import { planRollout, type RolloutPlan } from './plan.js';
import type { NodeProgress, RolloutEvent, RolloutRecord, RolloutState, StopReason } from './progress.js';
import { createDefaultProgressStore } from './sqlite-store.js';
import { buildStatus, type RolloutStatus } from './status.js';
import type { ProgressStore } from './store.js';
import { selectTargets, type RolloutNode } from './targets.js';
import { isInWindow, nextWindowStart } from './window.js';

export interface RolloutResult extends RolloutStatus {
  /** Everything that happened in this run, in order. */
  events: RolloutEvent[];
  resumed: boolean;
}

/** A prepared rollout: `run()` it once; `halt()` from anywhere (the CLI, a signal handler, a test). */
export interface Rollout {
  readonly cluster: string;
  /** The plan for a fresh start (a resumed rollout keeps its stored batches). */
  readonly plan: RolloutPlan;
  run(): Promise<RolloutResult>;
  /** The red button in process: running nodes finish their step, no new node starts. */
  halt(reason?: string, by?: string): void;
  /** The timeline so far. */
  events(): readonly RolloutEvent[];
  /** Live status, for progress display; undefined before `run()` has read the store. */
  snapshot(): RolloutStatus | undefined;
}

/** Consecutive failed reads of the halt key after which the rollout stops. */
const HALT_WATCH_FAILURES = 3;

function consulName(node: RolloutNode): string {
  return node.consulNode ?? node.name;
}

/** Prepares a rollout: validates options and plans batches; nothing touches the world until `run()`. */
export function createRollout(options: RolloutOptions): Rollout {
  const opts = resolveRolloutOptions(options);
  const targets = opts.select ? selectTargets(opts.targets, opts.select) : [...opts.targets];
  const plan = planRollout(targets, opts);
  const usesConsulHealth = [...opts.preChecks, ...opts.postChecks].some((c) => c.kind === 'consul-health');
  if (usesConsulHealth && !opts.health) {
    throw new ValidationError(
      'health',
      'a consul-health check needs a health source: pass `health` (createConsulHealthSource)',
    );
  }
  const byName = new Map(targets.map((n) => [n.name, n]));
  const timeline: RolloutEvent[] = [];
  const stopController = new AbortController();
  let stopReason: StopReason | undefined;
  let record: RolloutRecord | undefined;
  let progress = new Map<string, NodeProgress>();
  let started = false;
  let eventsFd: number | undefined;

  const emit = (event: RolloutEvent) => {
    timeline.push(event);
    if (eventsFd !== undefined) writeSync(eventsFd, `${JSON.stringify(event)}\n`);
    try {
      opts.onEvent?.(event);
    } catch (error) {
      opts.logger.warn('rollout onEvent listener threw', { error: describeError(error) });
    }
  };

  const stop = (reason: StopReason) => {
    if (stopReason) return;
    stopReason = reason;
    stopController.abort();
    opts.logger.warn('rollout stopping', { cluster: opts.cluster, kind: reason.kind, reason: reason.message });
    emit({ type: 'stopping', at: Date.now(), reason });
  };

  const rollout: Rollout = {
    cluster: opts.cluster,
    plan,
    halt(reason = 'halted through the API', by) {
      stop({ kind: 'halt-api', message: reason, ...(by ? { by } : {}) });
    },
    events: () => timeline,
    snapshot: () => (record ? buildStatus(record, progress.values()) : undefined),
    async run() {
      if (started)
        throw new RolloutError('ROLLOUT_STEP_FAILED', 'run() was already called on this rollout: create a new one');
      started = true;
      return await execute();
    },
  };

  async function execute(): Promise<RolloutResult> {
    const ownStore = opts.store === undefined;
    const store: ProgressStore = opts.store ?? createDefaultProgressStore(opts.stateDir);
    const coordinator: RolloutCoordinator = opts.coordinator ?? createLocalCoordinator(opts.stateDir);
    const cleanups: Array<() => unknown> = [];
    let lock: RolloutLock | undefined;
    let resumed = false;
    try {
      lock = await coordinator.lock(opts.cluster, opts.holder);
      const unsubscribe = lock.onLost?.((why) =>
        stop({
          kind: 'lock-lost',
          message: `lost the cluster lock (${why}): another rollout may start, so this one stops`,
        }),
      );
      if (unsubscribe) cleanups.push(unsubscribe);
      const halt = await coordinator.readHalt(opts.cluster);
      if (halt) {
        throw new RolloutError(
          'ROLLOUT_HALTED',
          `the red button of cluster ${opts.cluster} is pressed${halt.by ? ` by ${halt.by}` : ''}${halt.reason ? ` (${halt.reason})` : ''}: ` +
            'clear it with `fleet rollout resume` (clearHalt) before starting',
          { details: { cluster: opts.cluster, ...halt } },
        );
      }
      if (opts.fresh) await store.clear(opts.cluster);
      const stored = await store.readRollout(opts.cluster);
      const now = new Date().toISOString();
      if (stored && stored.state !== 'done') {
        const storedNames = stored.batches.flat().sort();
        const names = [...byName.keys()].sort();
        if (storedNames.join('\n') !== names.join('\n')) {
          throw new RolloutError(
            'ROLLOUT_PLAN_MISMATCH',
            `cluster ${opts.cluster} has an unfinished rollout (${stored.id}) over ${storedNames.length} other nodes: ` +
              'resume it with the same targets, or start over with `fresh: true`',
            { details: { cluster: opts.cluster, id: stored.id } },
          );
        }
        resumed = true;
        record = { ...stored, holder: opts.holder, state: 'running', updatedAt: now };
        delete record.stopReason;
        for (const p of await store.readNodes(opts.cluster)) progress.set(p.node, p);
      } else {
        if (stored) await store.clear(opts.cluster);
        record = {
          cluster: opts.cluster,
          id: randomUUID(),
          holder: opts.holder,
          state: 'running',
          batches: plan.batches.map((b) => b.nodes),
          createdAt: now,
          updatedAt: now,
        };
        progress = new Map();
      }
      const current = record;
      current.batches.forEach((batch, index) => {
        for (const node of batch) {
          const p = progress.get(node);
          if (!p) progress.set(node, { node, batch: index, state: 'pending', completedSteps: [], attempts: 0 });
          else if (p.state === 'running' || p.state === 'interrupted') p.state = 'pending';
          else if (p.state === 'failed' && opts.retryFailed) {
            p.state = 'pending';
            delete p.error;
          }
        }
      });
      await store.writeRollout(current);
      if (opts.logDir !== false) {
        mkdirSync(opts.logDir, { recursive: true });
        const fd = openSync(join(opts.logDir, 'events.jsonl'), 'a');
        eventsFd = fd;
        cleanups.push(() => {
          eventsFd = undefined;
          closeSync(fd);
        });
      }
      emit({
        type: 'rollout-started',
        at: Date.now(),
        cluster: opts.cluster,
        id: current.id,
        holder: opts.holder,
        resumed,
        nodes: progress.size,
        batches: current.batches.length,
      });

      const watch = coordinator.watchHalt(
        opts.cluster,
        (h) =>
          stop({ kind: 'halt-key', message: h.reason ?? 'the red button was pressed', ...(h.by ? { by: h.by } : {}) }),
        (error, attempt) => {
          emit({ type: 'warning', at: Date.now(), message: `cannot watch the halt key: ${describeError(error)}` });
          // A red button nobody can read is no red button: stop starting nodes rather than run blind.
          if (attempt >= HALT_WATCH_FAILURES) {
            stop({
              kind: 'anomaly',
              message: `the halt key could not be read ${attempt} times in a row: ${describeError(error)}`,
            });
          }
        },
      );
      cleanups.push(() => watch.stop());
      if (opts.handleSignals) {
        const onSignal = (signal: NodeJS.Signals) => stop({ kind: 'signal', message: `received ${signal}` });
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        cleanups.push(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        });
      }

      const running = new Set<string>();
      const health = createAnomalyWatch(opts, targets, running, progress, emit, stop);
      await health.start();
      cleanups.push(() => health.stop());

      let failures = 0;
      for (const [index, batch] of current.batches.entries()) {
        if (stopReason) break;
        const todo = batch.filter((n) => progress.get(n)?.state === 'pending');
        if (todo.length === 0) continue;
        emit({ type: 'batch-started', at: Date.now(), batch: index, nodes: todo });
        let batchFailures = 0;
        const inFlight = new Set<Promise<void>>();
        for (const name of todo) {
          while (inFlight.size >= opts.maxParallel) await Promise.race(inFlight);
          if (stopReason) break;
          if (!(await waitForWindow())) break;
          await health.check();
          if (stopReason) break;
          const node = byName.get(name)!;
          const p = progress.get(name)!;
          running.add(consulName(node));
          const task = startNode(node, p, store, index).then((outcome) => {
            running.delete(consulName(node));
            inFlight.delete(task);
            if (outcome !== 'failed') return;
            failures += 1;
            batchFailures += 1;
            const error = p.error;
            if (error?.code === 'ROLLOUT_CHECK_FAILED' && p.step === 'postcheck') {
              stop({ kind: 'post-check', node: name, message: `post-checks of ${name} failed: ${error.message}` });
            } else if (index === 0) {
              stop({
                kind: 'canary',
                node: name,
                message: `canary ${name} failed: ${error?.message ?? 'unknown error'}`,
              });
            } else if (failures >= opts.maxFailures) {
              stop({
                kind: 'error-budget',
                node: name,
                message: `${failures} node(s) failed (maxFailures ${opts.maxFailures})`,
              });
            } else if (
              opts.maxFailPercent !== undefined &&
              (batchFailures * 100) / batch.length > opts.maxFailPercent
            ) {
              stop({
                kind: 'error-budget',
                node: name,
                message: `${batchFailures} of ${batch.length} nodes of batch ${index} failed (maxFailPercent ${opts.maxFailPercent})`,
              });
            }
          });
          inFlight.add(task);
        }
        await Promise.all(inFlight);
        emit({ type: 'batch-finished', at: Date.now(), batch: index, failed: batchFailures });
      }

      const all = [...progress.values()];
      const state: RolloutState = stopReason
        ? ['halt-key', 'halt-api', 'signal'].includes(stopReason.kind)
          ? 'halted'
          : 'failed'
        : all.every((p) => p.state === 'done')
          ? 'done'
          : 'failed';
      current.state = state;
      current.updatedAt = new Date().toISOString();
      if (stopReason) current.stopReason = stopReason;
      await store.writeRollout(current);
      emit({ type: 'rollout-finished', at: Date.now(), state, ...(stopReason ? { stopReason } : {}) });
      return { ...buildStatus(current, progress.values()), events: timeline, resumed };
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup();
      try {
        await lock?.release();
      } catch (error) {
        // The lock's session expires on its own (TTL); the outcome of the run matters more than this.
        emit({
          type: 'warning',
          at: Date.now(),
          message: `could not release the cluster lock: ${describeError(error)}`,
        });
      }
      if (ownStore) await store.close();
      if (!opts.coordinator) await coordinator.close?.();
    }
  }

  async function startNode(
    node: RolloutNode,
    p: NodeProgress,
    store: ProgressStore,
    batch: number,
  ): Promise<NodeOutcome> {
    emit({ type: 'node-started', at: Date.now(), node: node.name, batch, ...(node.rack ? { rack: node.rack } : {}) });
    const log = opts.logDir === false ? discardNodeLog : openNodeLog(opts.logDir, node.name);
    let outcome: NodeOutcome;
    try {
      const executor: Executor = await opts.executorFor(node);
      outcome = await runNode({
        opts,
        node,
        executor,
        progress: p,
        log,
        ...(opts.health ? { health: opts.health } : {}),
        signal: new AbortController().signal,
        persist: () => store.writeNode(opts.cluster, p),
        emit,
        stopping: () => stopReason !== undefined,
      });
    } catch (error) {
      // Only the store or the executor factory get here: the node itself is in an unknown step.
      p.state = 'failed';
      p.error = { code: 'ROLLOUT_STEP_FAILED', message: describeError(error) };
      log.line(`node FAILED outside a step: ${describeError(error)}`);
      await store.writeNode(opts.cluster, p).catch(() => undefined);
      outcome = 'failed';
    } finally {
      log.close();
    }
    emit({
      type: 'node-finished',
      at: Date.now(),
      node: node.name,
      state: outcome,
      ...(outcome === 'failed' && p.error ? { error: p.error } : {}),
    });
    return outcome;
  }

  /** Waits until a maintenance window is open; false when the rollout was stopped meanwhile. */
  async function waitForWindow(): Promise<boolean> {
    let announced = false;
    while (!isInWindow(opts.now(), opts.windows)) {
      if (!announced) {
        const next = nextWindowStart(opts.now(), opts.windows);
        emit({ type: 'waiting', at: Date.now(), reason: 'window', ...(next ? { until: next.toISOString() } : {}) });
        announced = true;
      }
      await sleep(Math.min(60_000, opts.healthIntervalMs * 10), stopController.signal);
      if (stopReason) return false;
    }
    return !stopReason;
  }

  return rollout;
}

/**
 * Watches bystanders: nodes of the cluster that are not being updated (and have not failed). One whose
 * Consul health turns critical, when it was not critical at the start, stops the rollout.
 */
function createAnomalyWatch(
  opts: ResolvedRolloutOptions,
  targets: readonly RolloutNode[],
  running: ReadonlySet<string>,
  progress: ReadonlyMap<string, NodeProgress>,
  emit: (event: RolloutEvent) => void,
  stop: (reason: StopReason) => void,
) {
  const source = opts.health;
  const nameOf = new Map(targets.map((n) => [consulName(n), n.name]));
  const watched = new Set([...nameOf.keys(), ...opts.bystanders]);
  const baseline = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let reading: Promise<void> | undefined;
  const evaluate = (states: Map<string, HealthStatus>) => {
    for (const [name, status] of states) {
      if (status !== 'critical' || !watched.has(name) || baseline.has(name) || running.has(name)) continue;
      const target = nameOf.get(name);
      if (target !== undefined && progress.get(target)?.state === 'failed') continue;
      emit({ type: 'anomaly', at: Date.now(), node: name, message: `bystander ${name} turned critical in Consul` });
      stop({
        kind: 'anomaly',
        node: name,
        message: `bystander ${name} turned critical in Consul while not being updated`,
      });
      return;
    }
  };
  const check = async () => {
    if (!source) return;
    reading ??= source
      .read()
      .then(evaluate, (error: unknown) => {
        emit({ type: 'warning', at: Date.now(), message: `cannot read Consul health: ${describeError(error)}` });
      })
      .finally(() => {
        reading = undefined;
      });
    await reading;
  };
  return {
    async start() {
      if (!source) return;
      const states = await source.read();
      for (const [name, status] of states) {
        if (status === 'critical' && watched.has(name)) {
          baseline.add(name);
          emit({
            type: 'warning',
            at: Date.now(),
            node: name,
            message: `${name} is already critical at the start: ignored as a bystander`,
          });
        }
      }
      timer = setInterval(() => void check(), opts.healthIntervalMs);
      timer.unref();
    },
    check,
    async stop() {
      if (timer) clearInterval(timer);
      await reading;
    },
  };
}

/** Creates and runs a rollout in one call. */
export async function runRollout(options: RolloutOptions): Promise<RolloutResult> {
  return await createRollout(options).run();
}
