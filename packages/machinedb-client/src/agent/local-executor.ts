import { execFile } from 'node:child_process';
import type { ExecOptions, ExecResult, Executor } from '@fleet/core';

/** Runs commands on this machine without a shell (the agent's default; @fleet/exec has the full one). */
export function createAgentExecutor(): Executor {
  return {
    target: 'local',
    run(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
      const started = Date.now();
      return new Promise((resolve, reject) => {
        const child = execFile(
          command,
          [...args],
          {
            encoding: 'utf8',
            maxBuffer: 32 * 1024 * 1024,
            ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
            ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
            ...(options.cwd ? { cwd: options.cwd } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
          },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
            if (error && code === null) return reject(error); // not found, killed, aborted
            resolve({ code: code ?? 0, stdout, stderr, durationMs: Date.now() - started });
          },
        );
        if (options.stdin !== undefined) child.stdin?.end(options.stdin);
      });
    },
  };
}
