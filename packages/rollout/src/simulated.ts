import { randomUUID } from 'node:crypto';
import { CommandTimeoutError, describeCommand, type ExecResult, type Executor } from '@fleet/core';
import { type Argv, DEFAULT_UPDATE } from './options.js';
import type { RolloutNode } from './targets.js';

/** How a simulated node answers its update. */
export type SimulatedUpdate = 'ok' | 'fail' | 'reboot' | 'hang';

export interface SimulatedNodeSpec {
  update?: SimulatedUpdate;
  /** Exit codes of other commands by their command line (`describeCommand` form); default 0. */
  exitCodes?: Record<string, number>;
}

export interface SimulatedCall {
  node: string;
  line: string;
  kind: 'update' | 'reboot' | 'boot-id' | 'reboot-probe' | 'other';
  at: number;
}

export interface SimulatedFleetOptions {
  /** Per-node behaviour; nodes not listed update fine without reboot. */
  nodes?: Record<string, SimulatedNodeSpec>;
  /** Milliseconds every command takes (default 0: no timer at all). */
  commandMs?: number;
  /** Milliseconds a rebooting node refuses commands. Default 0. */
  rebootDownMs?: number;
  /** Must match the rollout's options when they are not the defaults. */
  update?: readonly Argv[];
  rebootCommand?: Argv;
  bootIdCommand?: Argv;
}

export interface SimulatedFleet {
  executorFor(node: RolloutNode): Executor;
  /** Every command in order. */
  readonly calls: SimulatedCall[];
  /** How many times the update ran to the end on each node. */
  updates(node: string): number;
  bootId(node: string): string;
  /** Changes a node's behaviour (the next update). */
  set(node: string, spec: SimulatedNodeSpec): void;
}

/**
 * TEST DOUBLE: nodes that answer rollout commands from memory, at no cost (or `commandMs` each). For
 * unit tests and the benchmark; the integration tests use real sshd servers instead.
 */
export function createSimulatedFleet(options: SimulatedFleetOptions = {}): SimulatedFleet {
  const specs = new Map(Object.entries(options.nodes ?? {}));
  const calls: SimulatedCall[] = [];
  const state = new Map<string, { bootId: string; rebootRequired: boolean; downUntil: number; updates: number }>();
  const line = (argv: readonly string[]) => describeCommand(argv[0]!, argv.slice(1));
  const updateLines = new Set((options.update ?? DEFAULT_UPDATE).map(line));
  const lastUpdate = line((options.update ?? DEFAULT_UPDATE).at(-1)!);
  const rebootLine = line(options.rebootCommand ?? ['systemctl', 'reboot']);
  const bootIdLine = line(options.bootIdCommand ?? ['cat', '/proc/sys/kernel/random/boot_id']);
  const nodeState = (name: string) => {
    let s = state.get(name);
    if (!s) {
      s = { bootId: randomUUID(), rebootRequired: false, downUntil: 0, updates: 0 };
      state.set(name, s);
    }
    return s;
  };
  const result = (code: number, stdout = ''): ExecResult => ({
    code,
    stdout,
    stderr: code ? 'simulated failure' : '',
    durationMs: 0,
  });
  return {
    calls,
    updates: (node) => state.get(node)?.updates ?? 0,
    bootId: (node) => nodeState(node).bootId,
    set(node, spec) {
      specs.set(node, spec);
    },
    executorFor(node) {
      const name = node.name;
      return {
        target: `sim:${name}`,
        async run(command, args, runOptions = {}) {
          const text = line([command, ...args]);
          const s = nodeState(name);
          const spec = specs.get(name) ?? {};
          const kind: SimulatedCall['kind'] = updateLines.has(text)
            ? 'update'
            : text === rebootLine
              ? 'reboot'
              : text === bootIdLine
                ? 'boot-id'
                : command === 'test'
                  ? 'reboot-probe'
                  : 'other';
          calls.push({ node: name, line: text, kind, at: performance.now() });
          if (options.commandMs) await new Promise((r) => setTimeout(r, options.commandMs));
          if (Date.now() < s.downUntil) throw new Error(`simulated ${name} is rebooting: connection refused`);
          switch (kind) {
            case 'update': {
              const behaviour = spec.update ?? 'ok';
              if (behaviour === 'fail') return result(100);
              if (behaviour === 'hang') {
                // Like a real executor: the command is killed at its timeout.
                const ms = runOptions.timeoutMs ?? 3_600_000;
                await new Promise((r) => setTimeout(r, ms));
                throw new CommandTimeoutError(`sim:${name}`, text, ms);
              }
              if (text === lastUpdate) {
                s.updates += 1;
                if (behaviour === 'reboot') s.rebootRequired = true;
              }
              return result(0);
            }
            case 'reboot-probe':
              return result(s.rebootRequired ? 0 : 1);
            case 'boot-id':
              return result(0, `${s.bootId}\n`);
            case 'reboot':
              s.bootId = randomUUID();
              s.rebootRequired = false;
              s.downUntil = Date.now() + (options.rebootDownMs ?? 0);
              return result(0);
            default:
              return result(spec.exitCodes?.[text] ?? 0);
          }
        },
      };
    },
  };
}
