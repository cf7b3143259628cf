import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * The command a user runs: the committed `bin/fleet.js`, which loads the built bundle. Tests run what ships,
 * and each start costs a third of the CPU of transpiling the sources with tsx (which made the subprocess
 * tests slow on a busy machine). A bundle older than a source file is refused, so a test never passes or
 * fails on stale code: run `pnpm build` (or `pnpm --filter @fleet/example-cli build`).
 */
export const fleetBin = join(cliDir, 'bin', 'fleet.js');

let checked = false;
export function assertBuiltCli(): void {
  if (checked) return;
  const newestSource = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
        entry.isDirectory() ? newestSource(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
      ),
    );
  let built = 0;
  try {
    built = statSync(join(cliDir, 'dist', 'cli.js')).mtimeMs;
  } catch {
    // reported below
  }
  if (built < newestSource(join(cliDir, 'src'))) {
    throw new Error('examples/cli/dist/cli.js is missing or older than src/: run "pnpm build" before these tests');
  }
  checked = true;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `fleet` as a real subprocess, with only the environment given (plus PATH). */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliRun> {
  assertBuiltCli();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [fleetBin, ...args],
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

/**
 * The same invocation in this process (what `main` does, minus process.exit): for the many variants of a
 * command whose subprocess behaviour is already covered, so the suite stays fast on a busy machine.
 */
export async function runInProcess(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const { runCommand } = await import('../src/run.js');
  const { errorLine, exitCodeOf } = await import('../src/errors.js');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io = {
    out: (t: string) => stdout.push(t.endsWith('\n') ? t : `${t}\n`),
    err: (t: string) => stderr.push(t.endsWith('\n') ? t : `${t}\n`),
    readStdin: async () => '',
    env: { HOME: '/nonexistent', ...env },
    cwd: cliDir,
  };
  let code: number;
  try {
    code = await runCommand(args, io);
  } catch (error) {
    stderr.push(`fleet: ${errorLine(error)}\n`);
    code = exitCodeOf(error);
  }
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}
