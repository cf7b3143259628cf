import { FleetError } from './errors.js';

export interface ExecOptions {
  /** Bytes written to the command's standard input. */
  stdin?: string | Uint8Array;
  /** Kill the command after this many milliseconds (`CommandTimeoutError`, code EXEC_TIMEOUT). */
  timeoutMs?: number;
  env?: Record<string, string>;
  cwd?: string;
  signal?: AbortSignal;
  /** Values (passwords) that must never appear in logs or errors: they are masked in `describeCommand`. */
  secrets?: readonly string[];
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * Runs a program with arguments, never through a shell. Local and SSH executors implement it, so
 * storage, rollout and netcheck work the same on a node or against it.
 */
export interface Executor {
  /** Where commands run, for messages: `local` or `root@node1:22`. */
  readonly target: string;
  run(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  close?(): Promise<void>;
}

/** A command exited non-zero where success was required. */
export class CommandFailedError extends FleetError {
  override name = 'CommandFailedError' as const;
  readonly result: ExecResult;
  constructor(target: string, commandLine: string, result: ExecResult) {
    const tail = result.stderr.trim().split('\n').slice(-3).join(' | ');
    super('EXEC_FAILED', `${commandLine} on ${target} exited ${result.code}${tail ? `: ${tail}` : ''}`, {
      kind: 'internal',
      details: { target, command: commandLine, exitCode: result.code },
    });
    this.result = result;
  }
}

/** A command ran past its timeout and was killed. */
export class CommandTimeoutError extends FleetError {
  override name = 'CommandTimeoutError' as const;
  constructor(target: string, commandLine: string, timeoutMs: number) {
    super('EXEC_TIMEOUT', `${commandLine} on ${target} did not finish within ${timeoutMs} ms and was killed`, {
      // The node was slow or stuck: it may answer in time later. Repeat only commands that are safe to repeat.
      kind: 'unavailable',
      retryable: true,
      details: { target, command: commandLine, timeoutMs },
    });
  }
}

const PLAIN = /^[A-Za-z0-9_@%+=:,./*-]+$/;

/** A shell-quoted, secret-masked rendering of a command line, for display only. */
export function describeCommand(command: string, args: readonly string[], secrets: readonly string[] = []): string {
  return [command, ...args]
    .map((part) => {
      let text = part;
      for (const secret of secrets) if (secret) text = text.split(secret).join('***');
      return PLAIN.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
    })
    .join(' ');
}

/** Runs a command and throws CommandFailedError unless it exits 0. */
export async function runChecked(
  executor: Executor,
  command: string,
  args: readonly string[],
  options?: ExecOptions,
): Promise<ExecResult> {
  const result = await executor.run(command, args, options);
  if (result.code !== 0) {
    throw new CommandFailedError(executor.target, describeCommand(command, args, options?.secrets), {
      ...result,
      stderr: mask(result.stderr, options?.secrets),
      stdout: mask(result.stdout, options?.secrets),
    });
  }
  return result;
}

function mask(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}
