import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import {
  CommandTimeoutError,
  describeCommand,
  type ExecOptions,
  type ExecResult,
  type Executor,
  validateInteger,
} from '@fleet/core';
import { ExecError } from './errors.js';

export interface LocalExecutorOptions {
  /** Variables added to every command's environment (on top of this process's, unless `inheritEnv` is false). */
  env?: Record<string, string>;
  /** Pass this process's environment to commands. Default true. */
  inheritEnv?: boolean;
  /** Timeout for commands that set none. Default 5 minutes; 0 disables. */
  defaultTimeoutMs?: number;
}

export interface ResolvedLocalExecutorOptions {
  env: Record<string, string>;
  inheritEnv: boolean;
  defaultTimeoutMs: number;
}

const DAY_MS = 86_400_000;

/** Fills defaults and validates local executor options. Pure. */
export function resolveLocalExecutorOptions(options: LocalExecutorOptions = {}): ResolvedLocalExecutorOptions {
  return {
    env: { ...(options.env ?? {}) },
    inheritEnv: options.inheritEnv ?? true,
    defaultTimeoutMs: validateInteger(options.defaultTimeoutMs ?? 300_000, 'defaultTimeoutMs', 0, DAY_MS),
  };
}

/**
 * Runs programs on this machine with `child_process.spawn`, never through a shell: arguments reach the
 * program exactly as given. A program that cannot be started yields code 127 (like a shell would), so
 * local and SSH executors report a missing tool the same way.
 */
export function createLocalExecutor(options: LocalExecutorOptions = {}): Executor {
  const resolved = resolveLocalExecutorOptions(options);
  return {
    target: 'local',
    run: (command, args, runOptions = {}) => runLocal(resolved, command, args, runOptions),
    async close() {},
  };
}

function runLocal(
  options: ResolvedLocalExecutorOptions,
  command: string,
  args: readonly string[],
  run: ExecOptions,
): Promise<ExecResult> {
  const shown = describeCommand(command, args, run.secrets);
  for (const word of [command, ...args]) {
    if (word.includes('\0')) {
      return Promise.reject(
        new ExecError('EXEC_INVALID_ARGUMENT', `${shown}: an argument contains a NUL byte, which no program can receive`),
      );
    }
  }
  if (command === '') return Promise.reject(new ExecError('EXEC_INVALID_ARGUMENT', 'the command name is empty'));
  const timeoutMs = run.timeoutMs ?? options.defaultTimeoutMs;
  if (run.signal?.aborted) return Promise.reject(aborted(shown, run.signal));
  const env = { ...(options.inheritEnv ? process.env : {}), ...options.env, ...(run.env ?? {}) };
  const started = performance.now();

  return new Promise<ExecResult>((resolve, reject) => {
    // A process group of its own, so a timeout kills the children a tool started too, and their open
    // pipes do not keep us waiting.
    const child = spawn(command, [...args], { cwd: run.cwd, env, stdio: 'pipe', detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let failure: Error | undefined;
    let spawnError: NodeJS.ErrnoException | undefined;

    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            failure ??= new CommandTimeoutError('local', shown, timeoutMs);
            killGroup();
          }, timeoutMs)
        : undefined;
    const onAbort = () => {
      failure ??= aborted(shown, run.signal!);
      killGroup();
    };
    run.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A command that exits without reading its input closes the pipe under us: not an error of ours.
    child.stdin.on('error', () => {});
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if (failure) return reject(failure);
      const durationMs = performance.now() - started;
      if (spawnError) {
        if (spawnError.code === 'ENOENT' || spawnError.code === 'EACCES') {
          return resolve({
            code: spawnError.code === 'ENOENT' ? 127 : 126,
            stdout: '',
            stderr: `${command}: ${spawnError.code === 'ENOENT' ? 'command not found' : 'permission denied'}\n`,
            durationMs,
          });
        }
        return reject(new ExecError('EXEC_INVALID_ARGUMENT', `${shown} could not be started: ${spawnError.message}`));
      }
      resolve({
        code: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs,
      });
    });
    if (run.stdin !== undefined) child.stdin.end(run.stdin);
    else child.stdin.end();
  });
}

function aborted(shown: string, signal: AbortSignal): ExecError {
  return new ExecError('EXEC_ABORTED', `${shown} was aborted before it finished`, { cause: signal.reason });
}
