import { describeCommand, describeError, type ExecResult, type Executor, type Logger, silentLogger } from '@fleet/core';
import type { PlanStep, StoragePlan } from './diff.js';
import { StorageError } from './errors.js';
import { formatBytes } from './plan.js';

export interface ApplyOptions {
  /** Default true: print the plan, run nothing. */
  dryRun?: boolean;
  /** Required for any step that writes to a block device. */
  allowDestructive?: boolean;
  /** Second override, on top of `allowDestructive`, for steps on the system disk. */
  allowSystemDisk?: boolean;
  /** Second override, on top of `allowDestructive`, for disks holding data fleet did not create. */
  allowForeignData?: boolean;
  /** Per step. Default 10 minutes (mkfs on large disks). */
  stepTimeoutMs?: number;
  logger?: Logger;
}

export interface StepOutcome {
  index: number;
  step: PlanStep;
  result: ExecResult;
}

export interface ApplyResult {
  dryRun: boolean;
  /** The plan as an operator reads it. */
  text: string;
  /** The plan as JSON-ready data. */
  json: PlanJson;
  done: StepOutcome[];
  notDone: PlanStep[];
}

export interface PlanJson {
  profile: string;
  hostname?: string;
  systemDisk: string;
  steps: Array<{
    index: number;
    action: string;
    command: string;
    description: string;
    destructive: boolean;
    systemDisk: boolean;
    foreignData?: string;
    disk?: string;
  }>;
}

/** A step failed: the run stopped; `done` ran, `notDone` (starting with the failed step) did not finish. */
export class StorageApplyError extends StorageError {
  override name = 'StorageApplyError';
  readonly done: StepOutcome[];
  readonly notDone: PlanStep[];
  readonly failedStep: PlanStep;

  constructor(message: string, done: StepOutcome[], notDone: PlanStep[], failedStep: PlanStep, cause?: unknown) {
    super('STORAGE_STEP_FAILED', message, {
      ...(cause !== undefined ? { cause } : {}),
      details: {
        failedStep: stepLine(failedStep),
        done: done.map((o) => stepLine(o.step)),
        notDone: notDone.map(stepLine),
      },
    });
    this.done = done;
    this.notDone = notDone;
    this.failedStep = failedStep;
  }
}

function stepLine(step: PlanStep): string {
  return describeCommand(step.command, step.args);
}

export function planToJson(plan: StoragePlan): PlanJson {
  return {
    profile: plan.profile,
    ...(plan.hostname !== undefined ? { hostname: plan.hostname } : {}),
    systemDisk: plan.layout.systemDisk.path,
    steps: plan.steps.map((step, i) => ({
      index: i + 1,
      action: step.action,
      command: stepLine(step) + (step.stdin !== undefined ? ` <<< ${JSON.stringify(step.stdin.trimEnd())}` : ''),
      description: step.description,
      destructive: step.destructive,
      systemDisk: step.systemDisk,
      ...(step.foreignData !== undefined ? { foreignData: step.foreignData } : {}),
      ...(step.disk !== undefined ? { disk: step.disk } : {}),
    })),
  };
}

function diskLine(d: { path: string; sizeBytes: number; model?: string; serial?: string }): string {
  return `${d.path} (${[d.model, d.serial && `serial ${d.serial}`, formatBytes(d.sizeBytes)].filter(Boolean).join(', ')})`;
}

/** The plan in an operator's words: the layout, then every step with its risk markers. */
export function renderPlanText(plan: StoragePlan): string {
  const { layout } = plan;
  const lines = [`storage plan for ${plan.hostname ?? 'this node'} — profile ${plan.profile} (${layout.role})`];
  lines.push(`  system disk   ${diskLine(layout.systemDisk)} — never touched`);
  for (const vg of layout.volumeGroups) {
    lines.push(`  LVM ${vg.name}  ${vg.disks.map(diskLine).join(', ')} — ${formatBytes(vg.capacityBytes)}`);
    for (const lv of vg.volumes) {
      lines.push(
        `      ${lv.name.padEnd(12)} ${(lv.sizeBytes === 'rest' ? 'rest' : formatBytes(lv.sizeBytes)).padEnd(10)} xfs ${lv.mountpoint}`,
      );
    }
  }
  for (const fs of layout.filesystems) {
    lines.push(`  filesystem    ${diskLine(fs.partition.disk)} partition "${fs.partition.name}" xfs ${fs.mountpoint}`);
  }
  for (const p of layout.clusterDisks) lines.push(`  cluster disk  ${diskLine(p.disk)} partition "${p.name}", raw`);
  for (const d of layout.unused) lines.push(`  unused        ${diskLine(d)}`);
  if (plan.steps.length === 0) {
    lines.push('', 'nothing to do: the node already has this layout');
    return `${lines.join('\n')}\n`;
  }
  const destructive = plan.steps.filter((s) => s.destructive).length;
  lines.push('', `${plan.steps.length} step(s), ${destructive} destructive:`);
  plan.steps.forEach((step, i) => {
    const marks = [
      step.destructive ? 'DESTRUCTIVE' : '',
      step.systemDisk ? 'SYSTEM DISK' : '',
      step.foreignData ? 'FOREIGN DATA' : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${String(i + 1).padStart(2)}. ${marks ? `[${marks}] ` : ''}${step.description}`);
    lines.push(`      $ ${stepLine(step)}${step.stdin !== undefined ? `  <<< ${step.stdin.trimEnd()}` : ''}`);
    if (step.foreignData) lines.push(`      found: ${step.foreignData}`);
  });
  return `${lines.join('\n')}\n`;
}

/** Refuses the plan unless the options allow every risk in it; names each refused step. */
export function checkPlanAllowed(plan: StoragePlan, options: ApplyOptions): void {
  const refused: string[] = [];
  plan.steps.forEach((step, i) => {
    const n = `step ${i + 1} (${stepLine(step)})`;
    if (step.destructive && !options.allowDestructive) refused.push(`${n} is destructive: pass allowDestructive`);
    if (step.systemDisk && !(options.allowDestructive && options.allowSystemDisk)) {
      refused.push(`${n} writes to the system disk: pass allowDestructive and allowSystemDisk`);
    }
    if (step.foreignData && !(options.allowDestructive && options.allowForeignData)) {
      refused.push(
        `${n} destroys data fleet did not create (${step.foreignData}): pass allowDestructive and allowForeignData`,
      );
    }
  });
  if (refused.length > 0) {
    throw new StorageError(
      'STORAGE_NOT_ALLOWED',
      `nothing was run; ${refused.length} refusal(s):\n  ${refused.join('\n  ')}`,
      {
        details: { refused },
      },
    );
  }
}

/**
 * Carries out a plan through an executor. Dry-run unless `dryRun: false`; every risk needs its flag
 * (checked before the first command); the first failing step stops the run with StorageApplyError.
 */
export async function applyPlan(
  executor: Executor,
  plan: StoragePlan,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const text = renderPlanText(plan);
  const json = planToJson(plan);
  if (options.dryRun !== false) return { dryRun: true, text, json, done: [], notDone: [...plan.steps] };
  checkPlanAllowed(plan, options);
  const logger = options.logger ?? silentLogger;
  const done: StepOutcome[] = [];
  for (const [i, step] of plan.steps.entries()) {
    const line = stepLine(step);
    logger.info('storage step', { index: i + 1, command: line, target: executor.target });
    let result: ExecResult;
    try {
      result = await executor.run(step.command, step.args, {
        timeoutMs: options.stepTimeoutMs ?? 600_000,
        ...(step.stdin !== undefined ? { stdin: step.stdin } : {}),
      });
    } catch (error) {
      throw new StorageApplyError(
        `step ${i + 1} (${line}) on ${executor.target} could not run: ${describeError(error)}. ${done.length} step(s) done, ${plan.steps.length - i} not done`,
        done,
        plan.steps.slice(i),
        step,
        error,
      );
    }
    if (result.code !== 0) {
      throw new StorageApplyError(
        `step ${i + 1} (${line}) on ${executor.target} exited ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}. ` +
          `${done.length} step(s) done, ${plan.steps.length - i} not done; read the state again and re-plan`,
        done,
        plan.steps.slice(i),
        step,
      );
    }
    done.push({ index: i + 1, step, result });
  }
  return { dryRun: false, text, json, done, notDone: [] };
}
