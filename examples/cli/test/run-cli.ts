import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cliDir = fileURLToPath(new URL('..', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `fleet` from source as a real subprocess (tsx), with only the environment given (plus PATH). */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      {
        cwd: cliDir,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: env.HOME ?? '/nonexistent', ...env },
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/** Every error is exactly one line on stderr, prefixed `fleet: CODE:`. */
export function oneErrorLine(run: CliRun): string {
  const lines = run.stderr.split('\n').filter((l) => l.length > 0);
  if (lines.length !== 1 || !/^fleet: [A-Z][A-Z0-9_]*: /.test(lines[0] ?? '')) {
    throw new Error(`expected one "fleet: CODE: message" line on stderr, got:\n${run.stderr}`);
  }
  return lines[0] as string;
}
