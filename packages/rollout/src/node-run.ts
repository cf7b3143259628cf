import { describeCommand, describeError, type ExecResult, type Executor, isFleetError, sleep } from '@fleet/core';
import { RolloutStepError } from './errors.js';
import type { NodeLog } from './node-log.js';
import type { Argv, Check, HealthSource, Hook, ResolvedRolloutOptions, StepContext } from './options.js';
import { NODE_STEPS, type NodeProgress, type NodeStep, type RolloutEvent } from './progress.js';
import type { RolloutNode } from './targets.js';

export interface NodeRun {
  opts: ResolvedRolloutOptions;
  node: RolloutNode;
  executor: Executor;
  progress: NodeProgress;
  log: NodeLog;
  health?: HealthSource;
  signal: AbortSignal;
  persist(): Promise<void>;
  emit(event: RolloutEvent): void;
  /** True once the rollout is stopping; checked between steps. */
  stopping(): boolean;
}

export type NodeOutcome = 'done' | 'failed' | 'interrupted';

function fill(argv: readonly string[], node: RolloutNode): string[] {
  return argv.map((a) => a.replaceAll('{node}', node.name).replaceAll('{host}', node.host ?? node.name));
}

async function exec(
  run: NodeRun,
  step: NodeStep,
  argv: Argv,
  timeoutMs: number,
  where: 'node' | 'local' = 'node',
): Promise<ExecResult> {
  const [command, ...args] = fill(argv, run.node) as [string, ...string[]];
  const executor = where === 'local' ? run.opts.localExecutor : run.executor;
  const line = `${where === 'local' ? '(local) ' : ''}${describeCommand(command, args)}`;
  if (!executor) {
    throw new RolloutStepError(
      'ROLLOUT_STEP_FAILED',
      run.node.name,
      step,
      `${line} runs locally but no localExecutor was given`,
    );
  }
  try {
    const result = await executor.run(command, args, { timeoutMs, signal: run.signal });
    run.log.command(line, result);
    return result;
  } catch (error) {
    run.log.command(line, undefined, error);
    throw error;
  }
}

async function execChecked(run: NodeRun, step: NodeStep, argv: Argv, timeoutMs: number, where?: 'node' | 'local') {
  let result: ExecResult;
  try {
    result = await exec(run, step, argv, timeoutMs, where);
  } catch (cause) {
    throw new RolloutStepError('ROLLOUT_STEP_FAILED', run.node.name, step, describeError(cause), { cause });
  }
  if (result.code !== 0) {
    const tail = result.stderr.trim().split('\n').slice(-2).join(' | ');
    throw new RolloutStepError(
      'ROLLOUT_STEP_FAILED',
      run.node.name,
      step,
      `${describeCommand(argv[0], argv.slice(1))} exited ${result.code}${tail ? `: ${tail}` : ''}; see ${run.log.file || 'the node log'}`,
      { details: { exitCode: result.code } },
    );
  }
  return result;
}

async function runHook(run: NodeRun, step: NodeStep, hook: Hook | undefined): Promise<string | undefined> {
  if (!hook) return 'no hook';
  if (typeof hook === 'function') {
    try {
      await hook(context(run));
    } catch (cause) {
      throw new RolloutStepError('ROLLOUT_STEP_FAILED', run.node.name, step, describeError(cause), { cause });
    }
    return undefined;
  }
  await execChecked(run, step, hook.argv, hook.timeoutMs ?? run.opts.commandTimeoutMs, hook.where);
  return undefined;
}

function context(run: NodeRun): StepContext {
  return { node: run.node, executor: run.executor, signal: run.signal };
}

function checkName(check: Check, node: RolloutNode): string {
  if (check.name) return check.name;
  if (check.kind === 'command') {
    const [command, ...args] = fill(check.argv, node) as [string, ...string[]];
    return describeCommand(command, args);
  }
  if (check.kind === 'http') return fill([check.url], node)[0]!;
  return check.kind;
}

/** Runs one check; returns a failure message, or undefined when it passed. */
async function runCheck(run: NodeRun, step: NodeStep, check: Check): Promise<string | undefined> {
  const name = checkName(check, run.node);
  try {
    switch (check.kind) {
      case 'command': {
        const r = await exec(run, step, check.argv, check.timeoutMs ?? run.opts.commandTimeoutMs, check.where);
        return r.code === 0 ? undefined : `${name} exited ${r.code}`;
      }
      case 'http': {
        const url = fill([check.url], run.node)[0]!;
        const res = await fetch(url, {
          signal: AbortSignal.any([run.signal, AbortSignal.timeout(check.timeoutMs ?? run.opts.commandTimeoutMs)]),
          redirect: 'manual',
        });
        await res.body?.cancel();
        run.log.line(`http ${url} -> ${res.status}`);
        const ok = check.status === undefined ? res.status >= 200 && res.status < 300 : res.status === check.status;
        return ok
          ? undefined
          : `${url} answered ${res.status}${check.status === undefined ? '' : `, expected ${check.status}`}`;
      }
      case 'consul-health': {
        if (!run.health) return 'no Consul health source is configured (give `health` or a Consul coordinator)';
        const consulName = run.node.consulNode ?? run.node.name;
        const status = (await run.health.read()).get(consulName);
        run.log.line(`consul health of ${consulName}: ${status ?? 'not registered'}`);
        if (status === undefined) return `node ${consulName} has no health checks in Consul`;
        return status === 'passing' ? undefined : `Consul health of ${consulName} is ${status}`;
      }
      case 'function':
        await check.run(context(run));
        return undefined;
    }
  } catch (error) {
    run.log.line(`check ${name} failed: ${describeError(error)}`);
    return `${name}: ${describeError(error)}`;
  }
}

async function runChecks(run: NodeRun, step: NodeStep, checks: readonly Check[]): Promise<string[]> {
  const failures: string[] = [];
  for (const check of checks) {
    const failure = await runCheck(run, step, check);
    if (failure) failures.push(failure);
  }
  return failures;
}

async function readBootId(run: NodeRun, timeoutMs: number): Promise<string | undefined> {
  const r = await exec(run, 'wait', run.opts.bootIdCommand, timeoutMs);
  const id = r.stdout.trim();
  return r.code === 0 && id ? id : undefined;
}

/** One step; returns a detail for the timeline or throws RolloutStepError. */
async function runStep(run: NodeRun, step: NodeStep): Promise<string | undefined> {
  const { opts, progress } = run;
  switch (step) {
    case 'precheck': {
      const failures = await runChecks(run, step, opts.preChecks);
      if (failures.length > 0) {
        throw new RolloutStepError('ROLLOUT_CHECK_FAILED', run.node.name, step, failures.join('; '));
      }
      return opts.preChecks.length === 0 ? 'no checks' : undefined;
    }
    case 'drain':
      return await runHook(run, step, opts.drain);
    case 'update':
      for (const argv of opts.update) await execChecked(run, step, argv, opts.updateTimeoutMs);
      return undefined;
    case 'reboot': {
      if (progress.bootIdBefore !== undefined) {
        // Issued before a crash or halt: the wait step tells whether it happened.
        progress.rebooted = true;
        return 'reboot already issued';
      }
      const probe = await exec(run, step, ['test', '-e', opts.rebootRequiredPath], opts.commandTimeoutMs);
      if (probe.code === 1) {
        progress.rebooted = false;
        return 'no reboot required';
      }
      if (probe.code !== 0) {
        throw new RolloutStepError(
          'ROLLOUT_STEP_FAILED',
          run.node.name,
          step,
          `test -e ${opts.rebootRequiredPath} exited ${probe.code}`,
        );
      }
      const before = await readBootId(run, opts.commandTimeoutMs);
      if (!before) {
        throw new RolloutStepError(
          'ROLLOUT_STEP_FAILED',
          run.node.name,
          step,
          `${opts.bootIdCommand.join(' ')} printed no boot id`,
        );
      }
      progress.bootIdBefore = before;
      progress.rebooted = true;
      await run.persist();
      try {
        await exec(run, step, opts.rebootCommand, opts.commandTimeoutMs);
      } catch {
        // The connection dropping under a reboot is the expected outcome; the wait step checks the boot id.
      }
      return 'reboot issued';
    }
    case 'wait': {
      if (!progress.rebooted) return 'no reboot';
      const deadline = Date.now() + opts.rebootTimeoutMs;
      let last = 'no answer yet';
      while (Date.now() < deadline) {
        try {
          const id = await readBootId(run, Math.min(opts.commandTimeoutMs, Math.max(1000, deadline - Date.now())));
          if (id && id !== progress.bootIdBefore) {
            run.log.line(`boot id changed ${progress.bootIdBefore} -> ${id}`);
            return 'node is back with a new boot id';
          }
          last = id ? 'boot id unchanged' : 'no boot id printed';
        } catch (error) {
          last = describeError(error);
        }
        if (run.signal.aborted) break;
        await sleep(opts.rebootPollMs, run.signal);
      }
      throw new RolloutStepError(
        'ROLLOUT_REBOOT_TIMEOUT',
        run.node.name,
        step,
        `did not come back with a new boot id within ${opts.rebootTimeoutMs} ms (${last}): check its console`,
      );
    }
    case 'postcheck': {
      if (opts.postChecks.length === 0) return 'no checks';
      const deadline = Date.now() + opts.postCheckTimeoutMs;
      for (;;) {
        const failures = await runChecks(run, step, opts.postChecks);
        if (failures.length === 0) return undefined;
        if (Date.now() + opts.postCheckIntervalMs > deadline || run.signal.aborted) {
          throw new RolloutStepError('ROLLOUT_CHECK_FAILED', run.node.name, step, failures.join('; '));
        }
        await sleep(opts.postCheckIntervalMs, run.signal);
      }
    }
    case 'undrain':
      return await runHook(run, step, opts.undrain);
  }
}

/**
 * Runs a node's remaining steps. Progress is persisted after each one, so a resumed rollout starts at the
 * first step not yet completed. A failed node is left as it is (still drained): a human looks first.
 */
export async function runNode(run: NodeRun): Promise<NodeOutcome> {
  const { progress } = run;
  progress.state = 'running';
  progress.attempts += 1;
  progress.startedAt ??= new Date().toISOString();
  delete progress.error;
  run.log.line(`node start (attempt ${progress.attempts}, done steps: ${progress.completedSteps.join(',') || 'none'})`);
  let first = true;
  for (const step of NODE_STEPS) {
    if (progress.completedSteps.includes(step)) continue;
    if (!first && run.opts.haltMode === 'step' && run.stopping()) {
      progress.state = 'interrupted';
      await run.persist();
      run.log.line(`interrupted before ${step}`);
      return 'interrupted';
    }
    progress.step = step;
    // Later steps were recorded as current when the previous one completed: one write per step.
    if (first) await run.persist();
    first = false;
    run.emit({ type: 'step-started', at: Date.now(), node: run.node.name, step });
    run.log.line(`step ${step} start`);
    const started = performance.now();
    try {
      const detail = await runStep(run, step);
      progress.completedSteps.push(step);
      const next = NODE_STEPS.find((s) => !progress.completedSteps.includes(s));
      if (next) {
        progress.step = next;
        await run.persist();
      }
      run.log.line(`step ${step} ok${detail ? ` (${detail})` : ''}`);
      run.emit({
        type: 'step-finished',
        at: Date.now(),
        node: run.node.name,
        step,
        ok: true,
        durationMs: performance.now() - started,
        ...(detail ? { detail } : {}),
      });
    } catch (error) {
      const code = isFleetError(error) ? error.code : 'ROLLOUT_STEP_FAILED';
      progress.state = 'failed';
      progress.error = { code, message: describeError(error).replace(/^[A-Z_]+: /, '') };
      progress.finishedAt = new Date().toISOString();
      await run.persist();
      run.log.line(`step ${step} FAILED: ${progress.error.message}`);
      run.emit({
        type: 'step-finished',
        at: Date.now(),
        node: run.node.name,
        step,
        ok: false,
        durationMs: performance.now() - started,
        detail: progress.error.message,
      });
      return 'failed';
    }
  }
  // The last step's completion and `done` are one write.
  progress.state = 'done';
  progress.finishedAt = new Date().toISOString();
  await run.persist();
  run.log.line('node done');
  return 'done';
}
