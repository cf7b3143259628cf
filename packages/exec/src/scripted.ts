import { describeCommand, type ExecOptions, type ExecResult, type Executor } from '@fleet/core';
import { ExecError } from './errors.js';

/** One canned answer of the scripted test executor. */
export interface ScriptedResponse {
  command: string;
  /** Exact arguments, or a predicate; omitted matches any arguments. */
  args?: readonly string[] | ((args: readonly string[]) => boolean);
  code?: number;
  stdout?: string;
  stderr?: string;
  /** Thrown instead of returning a result (a timeout, a lost connection …). */
  error?: Error;
  /** Answer every matching call instead of only the first. */
  repeat?: boolean;
}

export interface ScriptedCall {
  command: string;
  args: readonly string[];
  options: ExecOptions;
  /** `describeCommand` rendering, handy in snapshots and assertions. */
  line: string;
}

export interface ScriptedExecutor extends Executor {
  /** Every call in order, answered or not. */
  readonly calls: ScriptedCall[];
  /** Responses not used yet (repeating ones excluded): assert it is empty to prove a script ran fully. */
  unused(): ScriptedResponse[];
}

/**
 * TEST DOUBLE: an executor that runs nothing and answers from a script, for unit tests of planners and
 * appliers in other packages. Each call takes the first unused response whose command and arguments match;
 * a call with no matching response rejects with EXEC_UNSCRIPTED naming it.
 */
export function createScriptedExecutor(
  responses: readonly ScriptedResponse[] = [],
  target = 'scripted',
): ScriptedExecutor {
  const remaining = [...responses];
  const calls: ScriptedCall[] = [];
  const matches = (response: ScriptedResponse, command: string, args: readonly string[]) => {
    if (response.command !== command) return false;
    if (response.args === undefined) return true;
    if (typeof response.args === 'function') return response.args(args);
    return response.args.length === args.length && response.args.every((arg, i) => arg === args[i]);
  };
  return {
    target,
    calls,
    unused: () => remaining.filter((response) => !response.repeat),
    async run(command, args, options = {}) {
      const line = describeCommand(command, args, options.secrets);
      calls.push({ command, args: [...args], options, line });
      const index = remaining.findIndex((response) => matches(response, command, args));
      const response = remaining[index];
      if (response === undefined) {
        throw new ExecError('EXEC_UNSCRIPTED', `the scripted executor has no response for: ${line}`, {
          details: { command: line },
        });
      }
      if (!response.repeat) remaining.splice(index, 1);
      if (response.error) throw response.error;
      const result: ExecResult = {
        code: response.code ?? 0,
        stdout: response.stdout ?? '',
        stderr: response.stderr ?? '',
        durationMs: 0,
      };
      return result;
    },
    async close() {},
  };
}
